import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAppStore } from '../../app/store.ts'
import { toPng } from './png.ts'
import { readView } from './view-shapes.ts'
import { toSvg } from './svg.ts'

/** The graph's view on screen (React Flow's pane), or null when no graph is shown. */
export function graphView(): HTMLElement | null {
  return document.querySelector<HTMLElement>('.graph-canvas .react-flow')
}

function save(blob: Blob, file: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = file
  a.click()
  // The download has started from the URL; it is not needed after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** The name a saved picture takes: the lesson (or the file) and the step. */
function fileName(ext: string): string {
  const s = useAppStore.getState()
  const base = (s.lessonId ?? s.file?.replace(/\.ya?ml$/i, '') ?? 'podpath').replace(
    /[^\w.-]+/g,
    '-',
  )
  return `${base}-step-${s.step}.${ext}`
}

/** "Export": the graph as it is shown, as an SVG with its text, or a PNG of the view's size. */
export function ExportButton() {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [said, setSaid] = useState('')
  const run = async (kind: 'svg' | 'png') => {
    setOpen(false)
    const root = graphView()
    if (!root) return setSaid(t('export.nothing'))
    const label = root.closest('.graph-canvas')?.getAttribute('aria-label') ?? ''
    const picture = readView(root, `${document.title} · ${label}`)
    const file = fileName(kind)
    const blob =
      kind === 'svg' ? new Blob([toSvg(picture)], { type: 'image/svg+xml' }) : await toPng(picture)
    save(blob, file)
    setSaid(t('export.done', { file }))
  }
  return (
    <div className="share-action">
      <button
        type="button"
        className="share-button"
        aria-expanded={open}
        aria-controls="export-menu"
        onClick={() => {
          setSaid('')
          setOpen(!open)
        }}
      >
        {t('export.button')}
      </button>
      {open && (
        <div id="export-menu" className="share-pop" role="group" aria-label={t('export.menu')}>
          <button type="button" onClick={() => void run('svg')}>
            {t('export.svg')}
          </button>
          <button type="button" onClick={() => void run('png')}>
            {t('export.png')}
          </button>
        </div>
      )}
      <span role="status" className="share-said">
        {said}
      </span>
    </div>
  )
}
