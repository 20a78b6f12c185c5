import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ExportFormat } from '../../app/embed/protocol.ts'

/** The drawing code (shapes read off the screen, SVG, PNG) is loaded when first asked for. */
const exporter = () => import('./view-export.ts')

function save(blob: Blob, file: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = file
  a.click()
  // The download has started from the URL; it is not needed after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** Saves the view in a format; returns what to say (the file saved, or that there is no graph). */
function useExport() {
  const { t } = useTranslation()
  const [said, setSaid] = useState('')
  const run = async (format: ExportFormat) => {
    const { drawView, fileName } = await exporter()
    const blob = await drawView(format)
    if (!blob) return setSaid(t('export.nothing'))
    const file = fileName(format)
    save(blob, file)
    setSaid(t('export.done', { file }))
  }
  return { said, run }
}

/** Export: the graph as it is shown, as an SVG with its text, or a PNG of the view's size. */
export function ExportButtons() {
  const { t } = useTranslation()
  const { said, run } = useExport()
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

/**
 * Export in a course page's frame (the embed view has no bar): two small buttons beside the
 * step controls, named in full for a screen reader; what was saved is said to it alone.
 */
export function FrameExport() {
  const { t } = useTranslation()
  const { said, run } = useExport()
  return (
    <div className="frame-export" role="group" aria-label={t('export.menu')}>
      <span className="frame-export-word" aria-hidden="true">
        {t('export.button')}
      </span>
      {(['svg', 'png'] as const).map((f) => (
        <button
          key={f}
          type="button"
          className="frame-export-button"
          aria-label={t(`export.${f}`)}
          title={t(`export.${f}`)}
          onClick={() => void run(f)}
        >
          {f.toUpperCase()}
        </button>
      ))}
      <span className="visually-hidden" role="status">
        {said}
      </span>
    </div>
  )
}
