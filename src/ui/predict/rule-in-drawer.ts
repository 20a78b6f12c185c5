import { useSyncExternalStore } from 'react'
import { selectQuestion } from '../../app/predict.ts'
import type { Question } from '../../app/quiz/question.ts'
import { useAppStore, type AppState } from '../../app/store.ts'
import { VIEWS } from '../stage/views.ts'

/**
 * A phone's one-column stage (stage.css, predict.css: the lesson column at 46rem or less) puts
 * the drawer far below the question, so there the question keeps its own list of choices.
 */
const NARROW = '(max-width: 46rem)'

function subscribeNarrow(onChange: () => void): () => void {
  const m = window.matchMedia(NARROW)
  m.addEventListener('change', onChange)
  return () => m.removeEventListener('change', onChange)
}
const narrowNow = () => window.matchMedia(NARROW).matches

/** The question at this step when it is "which rule?" and the drawer shows its tables, else null. */
function ruleInDrawer(s: AppState, narrow: boolean): Question | null {
  const q = selectQuestion(s)
  if (!q || q.kind !== 'rule' || narrow) return null
  // The drawer drawn, open, on the step's tables (not a box opened from the graph).
  if (!VIEWS[s.view].drawer || VIEWS[s.view].predict === null) return null
  return s.drawerOpen && !s.inspecting ? q : null
}

/**
 * "Which rule matches?" is answered in the tables drawer, by picking the line, wherever the
 * drawer is open beside the question; elsewhere (a phone, the drawer closed, presenter mode's
 * stage, which has none) from the question's own list.
 */
export function useRuleInDrawer(): Question | null {
  const narrow = useSyncExternalStore(subscribeNarrow, narrowNow)
  return useAppStore((s) => ruleInDrawer(s, narrow))
}
