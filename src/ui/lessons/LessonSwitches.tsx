import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { setSwitches } from '../../app/session.ts'
import {
  selectAsWritten,
  selectCniSwitch,
  selectLessonId,
  selectProxySwitch,
  useAppStore,
} from '../../app/store.ts'
import { LESSONS, type LessonMeta } from '../../lessons/catalog.ts'
import { replacesKubeProxy } from '../../model/overrides.ts'
import { InfoIcon } from '../icons.tsx'
import './lessons.css'

/**
 * The lesson's CNI and kube-proxy alternatives (the catalog lists them), each a labelled select
 * in the page's bar. Picking one asks the engine to build the lesson's cluster with it and trace
 * again; the UI only names the choices (SwitchNote says when the text was written for another).
 */
export function LessonSwitches({ lesson }: { lesson: LessonMeta }) {
  const { t } = useTranslation()
  const asWritten = useAppStore(selectAsWritten)
  const cni = useAppStore(selectCniSwitch)
  const proxy = useAppStore(selectProxySwitch)
  const options = lesson.switches
  if (!options || !asWritten) return null
  return (
    <div className="lesson-switches" role="group" aria-label={t('switches.label')}>
      {options.cni && (
        <Choice
          label={t('switches.cni')}
          choices={options.cni}
          current={cni ?? asWritten.cni}
          asWritten={asWritten.cni}
          onPick={(v) => void setSwitches({ cni: v === asWritten.cni ? null : v })}
        />
      )}
      {options.proxy &&
        (replacesKubeProxy(cni ?? asWritten.cni) ? (
          // No kube-proxy runs beside this CNI: nothing to choose.
          <span className="switch-row">
            <span className="switch-row-label">{t('switches.proxy')}</span>
            <span className="switch-row-none">{t('switches.noKubeProxy')}</span>
          </span>
        ) : (
          <Choice
            label={t('switches.proxy')}
            choices={options.proxy}
            current={proxy ?? asWritten.proxyMode}
            asWritten={asWritten.proxyMode}
            onPick={(v) => void setSwitches({ proxy: v === asWritten.proxyMode ? null : v })}
          />
        ))}
    </div>
  )
}

function Choice<T extends string>(props: {
  label: string
  choices: readonly T[]
  current: T
  asWritten: T
  onPick: (v: T) => void
}) {
  const { t } = useTranslation()
  const id = useId()
  return (
    <span className="switch-row">
      <label htmlFor={id} className="switch-row-label">
        {props.label}
      </label>
      <select
        id={id}
        value={props.current}
        onChange={(e) => {
          const v = props.choices.find((c) => c === e.target.value)
          if (v && v !== props.current) props.onPick(v)
        }}
      >
        {props.choices.map((v) => (
          <option key={v} value={v}>
            {t(`switches.names.${v}`)}
            {v === props.asWritten ? ` (${t('switches.asWritten')})` : ''}
          </option>
        ))}
      </select>
    </span>
  )
}

/** Said when a switch is flipped: the lesson's text was written for another implementation. */
export function SwitchNote() {
  const { t } = useTranslation()
  const asWritten = useAppStore(selectAsWritten)
  const cni = useAppStore(selectCniSwitch)
  const proxy = useAppStore(selectProxySwitch)
  const lessonId = useAppStore(selectLessonId)
  if (!asWritten || !LESSONS.some((l) => l.id === lessonId)) return null
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
  if (now.length === 0) return null
  return (
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
  )
}
