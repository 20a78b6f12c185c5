import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { setSwitches } from '../../app/session.ts'
import {
  selectAsWritten,
  selectCniSwitch,
  selectProxySwitch,
  useAppStore,
} from '../../app/store.ts'
import type { LessonMeta } from '../../lessons/catalog.ts'
import { InfoIcon } from '../icons.tsx'
import './lessons.css'

/**
 * The lesson's CNI and kube-proxy alternatives (the catalog lists them), as segmented controls.
 * Picking one asks the engine to build the lesson's cluster with it and trace again; the UI only
 * names the choices, and says so when the lesson text was written for another.
 */
export function LessonSwitches({ lesson }: { lesson: LessonMeta }) {
  const { t } = useTranslation()
  const asWritten = useAppStore(selectAsWritten)
  const cni = useAppStore(selectCniSwitch)
  const proxy = useAppStore(selectProxySwitch)
  const id = useId()
  const options = lesson.switches
  if (!options || !asWritten) return null
  const name = (v: string) => t(`switches.names.${v}`)
  const was: string[] = []
  const now: string[] = []
  if (cni) {
    was.push(name(asWritten.cni))
    now.push(name(cni))
  }
  if (proxy) {
    was.push(name(asWritten.proxyMode))
    now.push(name(proxy))
  }
  return (
    <section className="lesson-switches" aria-labelledby={`${id}-label`}>
      <h2 id={`${id}-label`} className="switches-label">
        {t('switches.label')}
      </h2>
      <div className="switch-rows">
        {options.cni && (
          <Segmented
            label={t('switches.cni')}
            choices={options.cni}
            current={cni ?? asWritten.cni}
            asWritten={asWritten.cni}
            onPick={(v) => void setSwitches({ cni: v === asWritten.cni ? null : v })}
          />
        )}
        {options.proxy && (
          <Segmented
            label={t('switches.proxy')}
            choices={options.proxy}
            current={proxy ?? asWritten.proxyMode}
            asWritten={asWritten.proxyMode}
            onPick={(v) => void setSwitches({ proxy: v === asWritten.proxyMode ? null : v })}
          />
        )}
      </div>
      {now.length > 0 && (
        <div className="switch-note" role="note">
          <InfoIcon />
          <p>
            {t('switches.note', {
              was: was.join(t('switches.and')),
              now: now.join(t('switches.and')),
            })}
          </p>
          <button type="button" onClick={() => void setSwitches({ cni: null, proxy: null })}>
            {t('switches.reset')}
          </button>
        </div>
      )}
    </section>
  )
}

function Segmented<T extends string>(props: {
  label: string
  choices: readonly T[]
  current: T
  asWritten: T
  onPick: (v: T) => void
}) {
  const { t } = useTranslation()
  const id = useId()
  return (
    <div className="switch-row">
      <span id={id} className="switch-row-label">
        {props.label}
      </span>
      <div className="segmented" role="group" aria-labelledby={id}>
        {props.choices.map((v) => (
          <button
            key={v}
            type="button"
            aria-pressed={v === props.current}
            title={v === props.asWritten ? t('switches.asWrittenLong') : undefined}
            onClick={() => {
              if (v !== props.current) props.onPick(v)
            }}
          >
            {t(`switches.names.${v}`)}
            {v === props.asWritten && (
              <>
                {' '}
                <span className="as-written">{t('switches.asWritten')}</span>
              </>
            )}
          </button>
        ))}
      </div>
    </div>
  )
}
