import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAppStore } from '../../app/store.ts'
import { toPng } from './png.ts'
import { readView } from './view-shapes.ts'
import { toSvg } from './svg.ts'

/**
 * The graph's view on screen (React Flow's pane, as the stage's camera frames it: following the
 * packet or the whole cluster), or null when no graph is shown.
 */
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

/** The name a saved picture takes: the lesson (or the file), the step, and the camera. */
function fileName(ext: string): string {
  const s = useAppStore.getState()
  const base = (s.lessonId ?? s.file?.replace(/\.ya?ml$/i, '') ?? 'podpath').replace(
    /[^\w.-]+/g,
    '-',
  )
  return `${base}-step-${s.step}${s.camera === 'whole' ? '-whole' : ''}.${ext}`
}

/** Export: the graph as it is shown, as an SVG with its text, or a PNG of the view's size. */
export function ExportButtons() {
  const { t } = useTranslation()
  const [said, setSaid] = useState('')
  const run = async (kind: 'svg' | 'png') => {
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
    <div className="share-item" role="group" aria-label={t('export.menu')}>
      <p className="share-heading">{t('export.button')}</p>
      <div className="share-row">
        <button type="button" className="share-button" onClick={() => void run('svg')}>
          {t('export.svg')}
        </button>
        <button type="button" className="share-button" onClick={() => void run('png')}>
          {t('export.png')}
        </button>
      </div>
      <p role="status" className="share-said">
        {said}
      </p>
    </div>
  )
}
