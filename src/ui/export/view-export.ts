/**
 * The graph's view on screen drawn as the app's Export saves it (an SVG with its text, a PNG of
 * the view's size), for the Export buttons and for an embedding page's `export` command
 * (docs/embed.md), which gets the drawing as a string.
 */
import type { ExportedView, ExportFormat } from '../../app/embed/protocol.ts'
import { useAppStore } from '../../app/store.ts'
import { toPng } from './png.ts'
import type { Picture } from './shapes.ts'
import { toSvg } from './svg.ts'
import { readView } from './view-shapes.ts'

/**
 * The graph's view on screen (React Flow's pane, as the stage's camera frames it: following the
 * packet or the whole cluster), or null when no graph is shown.
 */
export function graphView(): HTMLElement | null {
  return document.querySelector<HTMLElement>('.graph-canvas .react-flow')
}

/** The view as shapes, titled by the page and the graph's own label; null with no graph. */
export function viewPicture(): Picture | null {
  const root = graphView()
  if (!root) return null
  const label = root.closest('.graph-canvas')?.getAttribute('aria-label') ?? ''
  return readView(root, `${document.title} · ${label}`)
}

/** The name a saved picture takes: the lesson (or the file), the step, and the camera. */
export function fileName(format: ExportFormat): string {
  const s = useAppStore.getState()
  const base = (s.lessonId ?? s.file?.replace(/\.ya?ml$/i, '') ?? 'podpath').replace(
    /[^\w.-]+/g,
    '-',
  )
  return `${base}-step-${s.step}${s.camera === 'whole' ? '-whole' : ''}.${format}`
}

/** The view drawn in a format, as a file's contents. */
export async function drawView(format: ExportFormat): Promise<Blob | null> {
  const picture = viewPicture()
  if (!picture) return null
  return format === 'svg'
    ? new Blob([toSvg(picture)], { type: 'image/svg+xml' })
    : await toPng(picture)
}

function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(reader.result as string)
    reader.onerror = () => reject(reader.error ?? new Error('the PNG could not be read'))
    reader.readAsDataURL(blob)
  })
}

/** What `export` answers: the SVG's text, or the PNG as a data: URL, with its size. */
export async function exportView(format: ExportFormat): Promise<ExportedView | null> {
  const picture = viewPicture()
  if (!picture) return null
  const size = { width: Math.round(picture.width), height: Math.round(picture.height) }
  const file = fileName(format)
  if (format === 'svg')
    return { format, mime: 'image/svg+xml', data: toSvg(picture), ...size, file }
  return { format, mime: 'image/png', data: await dataUrl(await toPng(picture)), ...size, file }
}
