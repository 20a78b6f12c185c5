import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { labScript } from '../../app/session.ts'
import { selectCniSwitch, selectFile, selectProxySwitch, useAppStore } from '../../app/store.ts'
import type { Lang } from '../../model/text.ts'
import type { LabSummary } from '../../sim/protocol.ts'
import './lab-download.css'

type State =
  | { kind: 'closed' }
  | { kind: 'busy' }
  | { kind: 'ready'; lab: LabSummary; url: string }
  | { kind: 'failed'; message: string }

/**
 * "Run it for real": the open lesson as a lab script to download (made by the engine, in the
 * worker), what it needs and what it does. The script is made when the learner opens this.
 */
export function LabDownload() {
  const { t, i18n } = useTranslation()
  const file = useAppStore(selectFile)
  const cni = useAppStore(selectCniSwitch)
  const proxy = useAppStore(selectProxySwitch)
  const seed = useAppStore((s) => s.seed)
  const [open, setOpen] = useState(false)
  const [state, setState] = useState<State>({ kind: 'closed' })
  const lang: Lang = i18n.language === 'zh-CN' ? 'zh-CN' : 'en'

  useEffect(() => {
    if (!open || !file) return
    let live = true
    let url: string | null = null
    setState({ kind: 'busy' })
    labScript().then(
      (lab) => {
        if (!live) return
        url = URL.createObjectURL(new Blob([lab.script], { type: 'text/x-shellscript' }))
        setState({ kind: 'ready', lab, url })
      },
      (err: unknown) => live && setState({ kind: 'failed', message: (err as Error).message }),
    )
    return () => {
      live = false
      if (url) URL.revokeObjectURL(url)
    }
  }, [open, file, cni, proxy, seed])

  return (
    <details className="lab-download" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('lab.summary')}</summary>
      <p>{t('lab.intro')}</p>
      <p>{t('lab.safety')}</p>
      {state.kind === 'busy' && <p aria-live="polite">{t('lab.preparing')}</p>}
      {state.kind === 'failed' && <p role="alert">{t('lab.failed', { message: state.message })}</p>}
      {state.kind === 'ready' && (
        <>
          <p>{t('lab.needs')}</p>
          <pre tabIndex={0}>
            <code>sudo apt-get install {state.lab.packages.join(' ')}</code>
          </pre>
          <ul className="lab-traffic">
            {state.lab.traffic.map((x) => (
              <li key={x.name}>
                {x.never
                  ? t('lab.never', { name: x.name, why: x.never[lang] })
                  : x.needs.length
                    ? t('lab.runsWith', { name: x.name, needs: x.needs.join(', ') })
                    : t('lab.runs', { name: x.name })}
              </li>
            ))}
          </ul>
          <p>
            <a className="lab-link" href={state.url} download={state.lab.filename}>
              {t('lab.download', { file: state.lab.filename })}
            </a>
          </p>
          <p>{t('lab.run')}</p>
          <pre tabIndex={0}>
            <code>sudo bash {state.lab.filename}</code>
          </pre>
        </>
      )}
    </details>
  )
}
