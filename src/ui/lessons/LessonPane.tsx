import { useDeferredValue } from 'react'
import { useTranslation } from 'react-i18next'
import {
  selectEngineError,
  selectImported,
  selectLessonId,
  selectStatus,
  selectTrace,
  selectView,
  useAppStore,
} from '../../app/store.ts'
import { LESSONS } from '../../lessons/catalog.ts'
import { ClusterFacts } from '../panels/ClusterFacts.tsx'
import { Diagnostics } from '../panels/Diagnostics.tsx'
import { ScenarioSource } from '../panels/ScenarioSource.tsx'
import { StepList } from '../panels/StepList.tsx'
import { TraceJson } from '../panels/TraceJson.tsx'
import { ConnectionControl } from '../panels/ConnectionControl.tsx'
import { Stage } from '../stage/Stage.tsx'
import { VIEWS } from '../stage/views.ts'
import { OfflineNotice } from '../status/OfflineNotice.tsx'
import { Landing } from './Landing.tsx'
import { LabDownload } from './LabDownload.tsx'

/**
 * The main column: the landing map, or the open lesson in whatever state it is in. A lesson
 * with a trace is the stage, filling the screen under the bar; the full step list, the facts
 * and the files follow below it (explore only).
 */
export function LessonPane() {
  const { t } = useTranslation()
  const id = useAppStore(selectLessonId)
  const status = useAppStore(selectStatus)
  const trace = useAppStore(selectTrace)
  const engineError = useAppStore(selectEngineError)
  const imported = useAppStore(selectImported)
  const view = useAppStore(selectView)
  const lesson = LESSONS.find((l) => l.id === id)
  const below = VIEWS[view].chrome
  // The stage and what lies under it (the whole step list, the facts, the files) mount with the
  // trace a render behind, in a render React splits into slices it can interrupt: the render when
  // a trace arrives from the worker is no long task (a store update is rendered in one piece).
  const belowTrace = useDeferredValue(trace, null)

  if (!id && !imported) return <Landing />
  if (!lesson && !imported) return <p className="notice">{t('lesson.unknown', { id })}</p>
  return (
    <article className="lesson-body" aria-busy={status === 'loading'}>
      {status === 'missing' && <p className="notice">{t('lesson.missing')}</p>}
      {status === 'loading' && !trace && <p className="notice">{t('lesson.loading')}</p>}
      {status === 'failed' && (
        <p className="notice failed" role="alert">
          {t('lesson.failed', { message: engineError })}
        </p>
      )}
      {status === 'offline' && <OfflineNotice />}
      {status === 'invalid' && (
        <>
          <Diagnostics />
          <ScenarioSource />
        </>
      )}
      {(status === 'ready' || (status === 'loading' && trace)) && (
        <>
          {trace && belowTrace && <Stage />}
          {below && (
            <div className="below-stage">
              {belowTrace && (
                <>
                  <ConnectionControl />
                  <StepList />
                </>
              )}
              <Diagnostics />
              <ClusterFacts />
              {belowTrace && (
                <>
                  <ScenarioSource />
                  <TraceJson trace={belowTrace} />
                  <LabDownload />
                </>
              )}
            </div>
          )}
        </>
      )}
    </article>
  )
}
