/**
 * A picture (shapes.ts) painted on a canvas of the view's size, one canvas pixel per CSS pixel,
 * and encoded as PNG. It draws with the canvas's own calls (no image of the SVG is loaded), so
 * the page's Content-Security-Policy (img-src 'self', no data: or blob: images) allows it.
 */
import { fontOf, type Picture } from './shapes.ts'

export function paint(ctx: CanvasRenderingContext2D, p: Picture): void {
  ctx.fillStyle = p.background
  ctx.fillRect(0, 0, p.width, p.height)
  for (const s of p.shapes) {
    ctx.save()
    ctx.globalAlpha = s.opacity
    switch (s.kind) {
      case 'rect':
        ctx.beginPath()
        ctx.roundRect(s.x, s.y, s.w, s.h, s.r)
        if (s.fill) {
          ctx.fillStyle = s.fill
          ctx.fill()
        }
        if (s.stroke) {
          ctx.strokeStyle = s.stroke
          ctx.lineWidth = s.strokeWidth
          if (s.dashed) ctx.setLineDash([s.strokeWidth * 3, s.strokeWidth * 2])
          ctx.stroke()
        }
        break
      case 'path': {
        ctx.setTransform(...s.matrix)
        const path = new Path2D(s.d)
        if (s.fill) {
          ctx.fillStyle = s.fill
          ctx.fill(path)
        }
        if (s.stroke) {
          ctx.strokeStyle = s.stroke
          ctx.lineWidth = s.strokeWidth
          ctx.setLineDash(s.dash)
          ctx.stroke(path)
        }
        break
      }
      case 'text':
        if (s.clip) {
          ctx.beginPath()
          ctx.rect(s.clip.x, s.clip.y, s.clip.w, s.clip.h)
          ctx.clip()
        }
        ctx.font = fontOf(s)
        ctx.letterSpacing = `${s.letterSpacing}px`
        ctx.fillStyle = s.fill
        ctx.textBaseline = 'middle'
        ctx.fillText(s.text, s.x, s.y)
        break
    }
    ctx.restore()
  }
}

export function toPng(p: Picture): Promise<Blob> {
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(p.width)
  canvas.height = Math.round(p.height)
  paint(canvas.getContext('2d')!, p)
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no PNG'))), 'image/png'),
  )
}
