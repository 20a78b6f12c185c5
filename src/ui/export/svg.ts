/** A picture (shapes.ts) as an SVG document: standalone, its labels as <text>. */
import type { Picture, Shape } from './shapes.ts'

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }
/** Characters XML 1.0 does not allow at all (C0 controls but tab, newline, return; lone surrogates). */
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

export function xml(s: string): string {
  return s.replace(NOT_XML, '').replace(/[&<>"]/g, (c) => ESC[c]!)
}

const n = (v: number) => String(Math.round(v * 100) / 100)

function paint(fill: string | null, stroke: string | null, width: number, opacity: number) {
  return (
    ` fill="${xml(fill ?? 'none')}"` +
    (stroke ? ` stroke="${xml(stroke)}" stroke-width="${n(width)}"` : '') +
    (opacity < 1 ? ` opacity="${n(opacity)}"` : '')
  )
}

function shape(s: Shape, clipId: (c: Shape) => string | null): string {
  switch (s.kind) {
    case 'rect':
      return (
        `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}"` +
        (s.r > 0 ? ` rx="${n(s.r)}"` : '') +
        paint(s.fill, s.stroke, s.strokeWidth, s.opacity) +
        (s.dashed ? ` stroke-dasharray="${n(s.strokeWidth * 3)} ${n(s.strokeWidth * 2)}"` : '') +
        '/>'
      )
    case 'path':
      return (
        `<path d="${xml(s.d)}" transform="matrix(${s.matrix.map(n).join(' ')})"` +
        paint(s.fill, s.stroke, s.strokeWidth, s.opacity) +
        (s.dash.length ? ` stroke-dasharray="${s.dash.map(n).join(' ')}"` : '') +
        '/>'
      )
    case 'text': {
      const clip = clipId(s)
      return (
        `<text x="${n(s.x)}" y="${n(s.y)}" dominant-baseline="central"` +
        ` font-family="${xml(s.family)}" font-size="${n(s.size)}" font-weight="${xml(s.weight)}"` +
        (s.style !== 'normal' ? ` font-style="${xml(s.style)}"` : '') +
        (s.letterSpacing ? ` letter-spacing="${n(s.letterSpacing)}"` : '') +
        ` fill="${xml(s.fill)}"` +
        (s.opacity < 1 ? ` opacity="${n(s.opacity)}"` : '') +
        (clip ? ` clip-path="url(#${clip})"` : '') +
        ` xml:space="preserve">${xml(s.text)}</text>`
      )
    }
  }
}

export function toSvg(p: Picture): string {
  const clips = new Map<string, string>()
  const clipId = (s: Shape) => {
    if (s.kind !== 'text' || !s.clip) return null
    const key = [s.clip.x, s.clip.y, s.clip.w, s.clip.h].map(n).join(',')
    if (!clips.has(key)) clips.set(key, `c${clips.size}`)
    return clips.get(key)!
  }
  const body = p.shapes.map((s) => shape(s, clipId)).join('\n')
  const defs = [...clips]
    .map(([key, id]) => {
      const [x, y, w, h] = key.split(',')
      return `<clipPath id="${id}"><rect x="${x}" y="${y}" width="${w}" height="${h}"/></clipPath>`
    })
    .join('\n')
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(p.width)}" height="${n(p.height)}"` +
    ` viewBox="0 0 ${n(p.width)} ${n(p.height)}" role="img">\n` +
    `<title>${xml(p.title)}</title>\n` +
    (defs ? `<defs>\n${defs}\n</defs>\n` : '') +
    `<rect width="100%" height="100%" fill="${xml(p.background)}"/>\n` +
    `${body}\n</svg>\n`
  )
}
