import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react'
import { createContext, memo, useContext } from 'react'
import { useAppStore } from '../../app/store.ts'
import { trailAt, type LinkHistory } from '../packet/route.ts'

/** Which steps crossed each link (route.ts linkHistory), provided once per trace. */
export const LinkHistoryContext = createContext<LinkHistory>(new Map())

/**
 * A link of the cluster graph, drawn as React Flow's default bezier edge. Each link reads from the
 * app store whether the packet has crossed it by the current step, and in which phase: a step
 * re-renders the few links whose look changes, and never hands React Flow its edges again.
 */
export const LinkEdge = memo(function LinkEdge(props: EdgeProps) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = props
  const history = useContext(LinkHistoryContext)
  const trail = useAppStore((s) => {
    const t = trailAt(history, id, s.step)
    return t ? `g-trail g-trail-${t.phase}${t.current ? ' g-hop' : ''}` : ''
  })
  const [path] = getBezierPath({
    sourceX,
    sourceY,
    sourcePosition,
    targetX,
    targetY,
    targetPosition,
  })
  return <BaseEdge id={id} path={path} className={trail} />
})
