import { useTranslation } from 'react-i18next'
import {
  selectEngineError,
  selectImported,
  selectLessonId,
  selectStatus,
  selectTrace,
  useAppStore,
} from '../../app/store.ts'
import { LESSONS } from '../../lessons/catalog.ts'
import { ClusterFacts } from '../panels/ClusterFacts.tsx'
import { Diagnostics } from '../panels/Diagnostics.tsx'
import { Outcome } from '../panels/Outcome.tsx'
import { ScenarioSource } from '../panels/ScenarioSource.tsx'
import { StepList } from '../panels/StepList.tsx'
import { TraceJson } from '../panels/TraceJson.tsx'
import { TrafficPicker } from '../panels/TrafficPicker.tsx'
import { ConnectionControl } from '../panels/ConnectionControl.tsx'
import { ImportedHeader } from '../import/ImportedHeader.tsx'
import { OfflineNotice } from '../status/OfflineNotice.tsx'
import { Landing } from './Landing.tsx'
import { LessonHeader } from './LessonHeader.tsx'
import { Workspace } from './Workspace.tsx'
import { LabDownload } from './LabDownload.tsx'

/** The main column: the landing map, or the open lesson in whatever state it is in. */
export function LessonPane() {
  const { t } = useTranslation()
  const id = useAppStore(selectLessonId)
  const status = useAppStore(selectStatus)
  const trace = useAppStore(selectTrace)
  const engineError = useAppStore(selectEngineError)
  const imported = useAppStore(selectImported)
  const lesson = LESSONS.find((l) => l.id === id)

  if (!id && !imported) return <Landing />
  if (!lesson && !imported) return <p className="notice">{t('lesson.unknown', { id })}</p>
  return (
    <article className="lesson-body" aria-busy={status === 'loading'}>
      {lesson ? <LessonHeader lesson={lesson} /> : <ImportedHeader />}
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
          <div className="lesson-bar">
            <TrafficPicker />
            {trace && <Outcome trace={trace} />}
          </div>
          {trace && (
            <>
              {/* The workspace: the packet in the cluster beside what happens to it now. */}
              <Workspace />
              <ConnectionControl />
              <StepList />
            </>
          )}
          <Diagnostics />
          <ClusterFacts />
          {trace && (
            <>
              <ScenarioSource />
              <TraceJson trace={trace} />
              <LabDownload />
            </>
          )}
        </>
      )}
    </article>
  )
}
