/**
 * Reads the graph as it is on screen into shapes (shapes.ts): each box of React Flow's HTML
 * nodes and of the packet as a rectangle with its computed colours, border and radius; each line
 * of text where the browser laid it out, in its computed font; each link as its SVG path with
 * the transform the viewport gives it. Positions come from the layout the browser made, so the
 * picture is the view, at its zoom and pan; the controls, the overview map and the background
 * pattern are left out (they are not the cluster).
 */
import type { Clip, Picture, Shape } from './shapes.ts'

const SKIP = [
  '.react-flow__panel',
  '.react-flow__controls',
  '.react-flow__minimap',
  '.react-flow__attribution',
  '.react-flow__background',
  '.react-flow__handle',
  '.react-flow__edge-interaction',
].join(',')

const clear = (c: string) =>
  c === 'transparent' || /^rgba\(.*,\s*0\)$/.test(c) || /\/\s*0\)$/.test(c)

function opacityOf(el: Element, root: Element): number {
  let o = 1
  for (let e: Element | null = el; e && e !== root.parentElement; e = e.parentElement)
    o *= Number(getComputedStyle(e).opacity)
  return o
}

/** How much the viewport's transform scales this element's own CSS pixels. */
function scaleOf(el: HTMLElement): number {
  const w = el.offsetWidth
  return w > 0 ? el.getBoundingClientRect().width / w : 1
}

/** The stacking order of the element's box within the view (React Flow sets z-index on nodes). */
function zOf(el: Element, root: Element): number {
  for (let e: Element | null = el; e && e !== root; e = e.parentElement) {
    const z = getComputedStyle(e).zIndex
    if (z !== 'auto') return Number(z)
  }
  return 0
}

function visible(el: Element): boolean {
  if (el.closest(SKIP) || el.closest('[hidden]')) return false
  const cs = getComputedStyle(el)
  return cs.display !== 'none' && cs.visibility !== 'hidden'
}

function intersect(a: Clip, b: Clip): Clip {
  const x = Math.max(a.x, b.x)
  const y = Math.max(a.y, b.y)
  return {
    x,
    y,
    w: Math.max(0, Math.min(a.x + a.w, b.x + b.w) - x),
    h: Math.max(0, Math.min(a.y + a.h, b.y + b.h) - y),
  }
}

export function readView(root: HTMLElement, title: string): Picture {
  const origin = root.getBoundingClientRect()
  const view: Clip = { x: 0, y: 0, w: origin.width, h: origin.height }
  const local = (r: DOMRect): Clip => ({
    x: r.left - origin.left,
    y: r.top - origin.top,
    w: r.width,
    h: r.height,
  })
  const inView = (c: Clip) =>
    c.x < view.w && c.y < view.h && c.x + c.w > 0 && c.y + c.h > 0 && c.w > 0 && c.h > 0
  const shapes: { z: number; order: number; shape: Shape }[] = []
  const add = (el: Element, shape: Shape) =>
    shapes.push({ z: zOf(el, root), order: shapes.length, shape })

  /** Where text inside `el` is cut off: the boxes that hide what overflows them, and the view. */
  const clipOf = (el: Element): Clip => {
    let clip = view
    for (let e: Element | null = el; e && e !== root; e = e.parentElement) {
      const cs = getComputedStyle(e)
      if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible')
        clip = intersect(clip, local(e.getBoundingClientRect()))
    }
    return clip
  }

  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) {
      const parent = node.parentElement
      const text = node.textContent ?? ''
      if (!parent || !text.trim() || !visible(parent) || parent.closest('svg')) continue
      readText(node as Text, parent)
      continue
    }
    const el = node as Element
    if (!visible(el)) continue
    if (el instanceof SVGPathElement) readPath(el)
    else if (el instanceof HTMLElement) readBox(el)
  }

  function readBox(el: HTMLElement) {
    const box = local(el.getBoundingClientRect())
    if (!inView(box)) return
    const cs = getComputedStyle(el)
    const scale = scaleOf(el)
    const fill = clear(cs.backgroundColor) ? null : cs.backgroundColor
    const bw = parseFloat(cs.borderTopWidth) || 0
    const hasBorder = bw > 0 && cs.borderTopStyle !== 'none' && !clear(cs.borderTopColor)
    const opacity = opacityOf(el, root)
    const r = Math.min(parseFloat(cs.borderTopLeftRadius) * scale || 0, box.w / 2, box.h / 2)
    if (fill || hasBorder) {
      const sw = hasBorder ? bw * scale : 0
      add(el, {
        kind: 'rect',
        // The border is drawn inside the box, as CSS draws it.
        x: box.x + sw / 2,
        y: box.y + sw / 2,
        w: box.w - sw,
        h: box.h - sw,
        r: Math.max(0, r - sw / 2),
        fill,
        stroke: hasBorder ? cs.borderTopColor : null,
        strokeWidth: sw,
        dashed: hasBorder && (cs.borderTopStyle === 'dashed' || cs.borderTopStyle === 'dotted'),
        opacity,
      })
    }
    const ow = parseFloat(cs.outlineWidth) || 0
    if (cs.outlineStyle !== 'none' && ow > 0 && !clear(cs.outlineColor)) {
      const off = (parseFloat(cs.outlineOffset) || 0) * scale + (ow * scale) / 2
      add(el, {
        kind: 'rect',
        x: box.x - off,
        y: box.y - off,
        w: box.w + 2 * off,
        h: box.h + 2 * off,
        r: r + off,
        fill: null,
        stroke: cs.outlineColor,
        strokeWidth: ow * scale,
        dashed: cs.outlineStyle === 'dashed',
        opacity,
      })
    }
  }

  function readText(node: Text, parent: HTMLElement) {
    const cs = getComputedStyle(parent)
    const scale = scaleOf(parent)
    const transform = (s: string) =>
      cs.textTransform === 'uppercase'
        ? s.toUpperCase()
        : cs.textTransform === 'lowercase'
          ? s.toLowerCase()
          : s
    const range = document.createRange()
    const raw = node.textContent!
    // The text as laid out, one piece per line box (a label that wraps has more than one).
    const lines: { text: string; rect: DOMRect }[] = []
    range.selectNodeContents(node)
    const rects = [...range.getClientRects()].filter((r) => r.width > 0)
    if (rects.length === 1) lines.push({ text: raw, rect: rects[0]! })
    else if (rects.length > 1) {
      let start = 0
      let top: number | null = null
      for (let i = 0; i <= raw.length; i++) {
        let t: number | null = null
        if (i < raw.length) {
          range.setStart(node, i)
          range.setEnd(node, i + 1)
          t = range.getBoundingClientRect().top
        }
        if (i === raw.length || (top !== null && Math.abs(t! - top) > 1)) {
          range.setStart(node, start)
          range.setEnd(node, i)
          lines.push({ text: raw.slice(start, i), rect: range.getBoundingClientRect() })
          start = i
        }
        if (t !== null) top = t
      }
    }
    const clip = clipOf(parent)
    const opacity = opacityOf(parent, root)
    for (const line of lines) {
      const box = local(line.rect)
      const text = transform(line.text.replace(/\s+/g, ' '))
      if (!text.trim() || !inView(intersect(box, clip))) continue
      add(parent, {
        kind: 'text',
        x: box.x,
        y: box.y + box.h / 2,
        text,
        family: cs.fontFamily,
        size: parseFloat(cs.fontSize) * scale,
        weight: cs.fontWeight,
        style: cs.fontStyle,
        letterSpacing: (parseFloat(cs.letterSpacing) || 0) * scale,
        fill: cs.color,
        opacity,
        clip,
      })
    }
  }

  function readPath(el: SVGPathElement) {
    const d = el.getAttribute('d')
    const m = el.getScreenCTM()
    if (!d || !m) return
    const cs = getComputedStyle(el)
    const stroke = cs.stroke === 'none' || clear(cs.stroke) ? null : cs.stroke
    const fill = cs.fill === 'none' || clear(cs.fill) ? null : cs.fill
    if (!stroke && !fill) return
    const dash =
      cs.strokeDasharray === 'none'
        ? []
        : cs.strokeDasharray.split(/[\s,]+/).map((v) => parseFloat(v) || 0)
    add(el, {
      kind: 'path',
      d,
      matrix: [m.a, m.b, m.c, m.d, m.e - origin.left, m.f - origin.top],
      fill,
      stroke,
      strokeWidth: parseFloat(cs.strokeWidth) || 1,
      dash,
      opacity: opacityOf(el, root) * Number(cs.strokeOpacity || 1),
    })
  }

  let background = 'white'
  for (let e: Element | null = root; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor
    if (!clear(c)) {
      background = c
      break
    }
  }
  shapes.sort((a, b) => a.z - b.z || a.order - b.order)
  return { width: view.w, height: view.h, background, title, shapes: shapes.map((s) => s.shape) }
}
