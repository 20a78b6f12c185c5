/**
 * Whether the packet is at a box, read by each box itself: a selector per box on the app store,
 * so that a step re-renders the box the packet left and the one it reached, and React Flow's own
 * store (and so its hundreds of nodes on a large cluster) is not touched at all.
 */
import { createContext, useContext } from 'react'
import { useAppStore } from '../../app/store.ts'
import type { Text } from '../../model/text.ts'
import type { Phase } from '../../model/trace.ts'

/** The box of each step of the trace, by position (ClusterGraph provides it once per trace). */
export const PlacesContext = createContext<readonly (string | null)[]>([])

/** The packet's phase when it is at this box, 'stopped' when it died here, else null. */
export function useHere(id: string): Phase | 'stopped' | null {
  const places = useContext(PlacesContext)
  return useAppStore((s) => {
    if (places[s.step] !== id) return null
    const step = s.trace?.steps[s.step]
    if (!step) return null
    return step.action === 'drop' || step.action === 'reject' ? 'stopped' : step.phase
  })
}

/** A box that answers the open "where next?" question: its choice and the choice's letter. */
export interface QuizBox {
  choice: string
  letter: string
  /** The choice's own words (the place it names), for the box's accessible name. */
  label: Text
}

/** The boxes of the open "where next?" question, by box id (ClusterGraph provides them). */
export const QuizBoxesContext = createContext<ReadonlyMap<string, QuizBox>>(new Map())
