import { useRef, type PointerEvent } from 'react'
import { useTranslation } from 'react-i18next'
import {
  selectImported,
  selectLessonId,
  selectTrace,
  selectView,
  useAppStore,
} from '../../app/store.ts'
import { LESSONS } from '../../lessons/catalog.ts'
import { ImportedAbout } from '../import/ImportedHeader.tsx'
import { LessonAbout } from '../lessons/LessonHeader.tsx'
import { SwitchNote } from '../lessons/LessonSwitches.tsx'
import { Narration } from '../panels/Narration.tsx'
import { Outcome } from '../panels/Outcome.tsx'
import { runCommand } from './keymap.ts'
import { StepCounter } from './StepCounter.tsx'
import { STAGE_ACTIONS } from './useStageKeys.ts'
import { VIEWS } from './views.ts'

/** A finger moved this far sideways, and more sideways than down, is a swipe. */
const SWIPE_PX = 48

/**
 * The current step's caption, with the graph: the narration (a closed fold told as a whole),
 * and in explore the lesson's summary, a note when a switch is flipped and the outcome. On a
 * touch screen a swipe left goes to the next step, right to the one before.
 */
export function Caption() {
  const { t } = useTranslation()
  const view = useAppStore(selectView)
  const trace = useAppStore(selectTrace)
  const lessonId = useAppStore(selectLessonId)
  const imported = useAppStore(selectImported)
  const lesson = LESSONS.find((l) => l.id === lessonId)
  const parts = VIEWS[view]
  const start = useRef<{ x: number; y: number } | null>(null)
  const onDown = (e: PointerEvent) => {
    start.current = e.pointerType === 'touch' ? { x: e.clientX, y: e.clientY } : null
  }
  const onUp = (e: PointerEvent) => {
    const from = start.current
    start.current = null
    if (!from) return
    const dx = e.clientX - from.x
    const dy = e.clientY - from.y
    if (Math.abs(dx) >= SWIPE_PX && Math.abs(dx) > 1.5 * Math.abs(dy))
      runCommand(dx < 0 ? 'next' : 'previous', STAGE_ACTIONS)
  }
  return (
    // It scrolls when the narration is long, so it takes the keyboard's focus to scroll too.
    <div
      className={`stage-caption caption-${parts.caption}`}
      role="group"
      aria-label={t('stage.caption')}
      tabIndex={0}
      onPointerDown={onDown}
      onPointerUp={onUp}
      onPointerCancel={() => (start.current = null)}
    >
      {parts.chrome && (
        <>
          {lesson && <LessonAbout lesson={lesson} />}
          {imported && <ImportedAbout />}
          <SwitchNote />
        </>
      )}
      <Narration />
      {parts.counter && parts.caption === 'band' && <StepCounter />}
      {parts.chrome && trace && <Outcome trace={trace} />}
    </div>
  )
}
