import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { handoutSteps } from '../../app/handout.ts'
import {
  selectCluster,
  selectFile,
  selectLang,
  selectLessonId,
  selectStatus,
  selectTrace,
  useAppStore,
} from '../../app/store.ts'
import { LESSONS } from '../../lessons/catalog.ts'
import type { Location } from '../../model/trace.ts'
import { graphExtras } from '../graph/extras.ts'
import { layoutCluster } from '../graph/layout.ts'
import { boxIds, locate } from '../graph/locate.ts'
import { PageBar } from '../pages/PageBar.tsx'
import { Where } from '../panels/Where.tsx'
import { StaticGraph } from './StaticGraph.tsx'
import './handout.css'

/**
 * The open request as a handout for paper (?page=handout): every step's narration, the header
 * fields it changed and the rules that decided it, with the cluster drawn at the key steps.
 * Print CSS leaves out the header, the controls and everything but the handout.
 */
export default function HandoutPage() {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const trace = useAppStore(selectTrace)
  const cluster = useAppStore(selectCluster)
  const status = useAppStore(selectStatus)
  const lessonId = useAppStore(selectLessonId)
  const file = useAppStore(selectFile)
  const lesson = LESSONS.find((l) => l.id === lessonId)
  const steps = useMemo(() => (trace ? handoutSteps(trace) : []), [trace])
  const layout = useMemo(
    () => (cluster && trace ? layoutCluster(cluster, graphExtras(cluster, trace)) : null),
    [cluster, trace],
  )
  const ids = useMemo(() => (layout ? boxIds(layout) : new Set<string>()), [layout])

  if (!trace || !cluster || !layout) {
    return (
      <article className="handout">
        <PageBar />
        <p className="notice">{status === 'loading' ? t('handout.loading') : t('handout.none')}</p>
      </article>
    )
  }
  const whereText = (at: Location) =>
    (['node', 'pod', 'container', 'device', 'component'] as const)
      .filter((k) => at[k] !== null)
      .map((k) => `${t(`where.${k}`)} ${at[k]}`)
      .join(' · ')
  // The boxes the packet passed between one drawing and the next.
  let since = 0
  return (
    <article className="handout" aria-labelledby="handout-title">
      <PageBar>
        <button type="button" className="page-back handout-print" onClick={() => window.print()}>
          {t('handout.print')}
        </button>
      </PageBar>
      <header className="handout-head">
        <p className="eyebrow">{t('handout.title')}</p>
        <h1 id="handout-title">{lesson ? lesson.title[lang] : file}</h1>
        {lesson && <p className="lead">{lesson.summary[lang]}</p>}
        <p>
          {t('handout.request', { traffic: trace.traffic })} ·{' '}
          {t('handout.seed', { seed: trace.seed })} ·{' '}
          {t('handout.outcome', { outcome: t(`outcome.${trace.outcome}`) })}
        </p>
        <p className="handout-intro">{t('handout.intro')}</p>
      </header>
      <ol className="handout-steps">
        {steps.map((s, i) => {
          let drawing = null
          if (s.key) {
            const here = locate(s.at, ids)
            const passed = new Set(
              trace.steps
                .slice(since, i)
                .map((x) => locate(x.at, ids))
                .filter((x): x is string => x !== null),
            )
            since = i
            drawing = (
              <StaticGraph
                layout={layout}
                here={here}
                passed={passed}
                caption={t('handout.graph', { n: s.index, where: whereText(s.at) })}
              />
            )
          }
          return (
            <li key={s.index} className={`handout-step phase-${s.phase}`}>
              <h2>
                {t('handout.step', { n: s.index })} · {t(`phase.${s.phase}`)} ·{' '}
                {t(`action.${s.action}`)}
              </h2>
              <Where at={s.at} />
              <p className="handout-narration">{s.narration[lang]}</p>
              {s.changes.length > 0 && (
                <table className="handout-changes">
                  <caption>{t('handout.changed')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('handout.field')}</th>
                      <th scope="col">{t('handout.before')}</th>
                      <th scope="col">{t('handout.after')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {s.changes.map((c) => (
                      <tr key={c.field}>
                        <th scope="row">
                          <code>{c.field}</code>
                        </th>
                        <td>
                          <code>{c.before}</code>
                        </td>
                        <td>
                          <code>{c.after}</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {s.rules.length > 0 && (
                <div className="handout-rules">
                  <h3>{t('handout.rules')}</h3>
                  <ul>
                    {s.rules.map((r, j) => (
                      <li key={j}>
                        <span className="handout-table">{r.table}</span>
                        <code>{r.rule}</code>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              {s.outerRules.length > 0 && (
                <div className="handout-rules">
                  <h3>{t('handout.outerRules')}</h3>
                  <ul>
                    {s.outerRules.map((r, j) => (
                      <li key={j}>
                        <span className="handout-table">{r.table}</span>
                        <code>{r.rule}</code>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              {drawing}
            </li>
          )
        })}
      </ol>
    </article>
  )
}
