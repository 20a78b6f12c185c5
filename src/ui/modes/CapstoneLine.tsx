import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CAPSTONE_LESSON, capstoneStops, type Stop } from '../../app/capstone-path.ts'
import { traceLessonAside } from '../../app/lesson-aside.ts'
import { openPage } from '../../app/page.ts'
import { openLesson } from '../../app/session.ts'
import { selectLang, useAppStore } from '../../app/store.ts'

type State = { stops: Stop[] } | { error: string } | null

/**
 * The capstone's path drawn as one line, the request along it and the reply back under it; each
 * stop opens the capstone at the step where the packet is there (found in its trace).
 */
export function CapstoneLine() {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const [state, setState] = useState<State>(null)
  useEffect(() => {
    let live = true
    traceLessonAside(CAPSTONE_LESSON).then(
      ({ trace, cluster }) => live && setState({ stops: capstoneStops(trace, cluster) }),
      (e: Error) => live && setState({ error: e.message }),
    )
    return () => {
      live = false
    }
  }, [])
  const row = (direction: Stop['direction']) =>
    state && 'stops' in state ? state.stops.filter((s) => s.direction === direction) : []
  return (
    <section className="capstone" aria-labelledby="capstone-title" aria-busy={state === null}>
      <h2 id="capstone-title">{t('modes.capstoneTitle')}</h2>
      <p>{t('modes.capstoneIntro')}</p>
      {state === null && <p className="notice">{t('modes.loading')}</p>}
      {state && 'error' in state && (
        <p className="notice failed" role="alert">
          {t('modes.failed', { message: state.error })}
        </p>
      )}
      {state && 'stops' in state && (
        <div className="capstone-line">
          {(['request', 'reply'] as const).map((direction) => (
            <div key={direction} className={`capstone-row capstone-${direction}`}>
              <h3 className="capstone-direction">{t(`modes.${direction}`)}</h3>
              <ol aria-label={t(`modes.${direction}`)}>
                {row(direction).map((s) => {
                  const name = t(`modes.stops.${s.stop}`)
                  return (
                    <li key={s.stop} className={`capstone-stop stop-${s.stop}`}>
                      <a
                        href={`?lesson=${CAPSTONE_LESSON}&step=${s.step}&lang=${lang}`}
                        aria-label={t('modes.stopLabel', { stop: name, step: s.step })}
                        onClick={(e) => {
                          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return
                          e.preventDefault()
                          openPage(null)
                          void openLesson(CAPSTONE_LESSON, { step: s.step })
                        }}
                      >
                        <span className="capstone-name">{name}</span>
                        <span className="capstone-step">{t('modes.stepOf', { step: s.step })}</span>
                      </a>
                    </li>
                  )
                })}
              </ol>
            </div>
          ))}
        </div>
      )}
    </section>
  )
}
