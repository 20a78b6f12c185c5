import { Handle, Position, type Node, type NodeProps } from '@xyflow/react'
import type { TFunction } from 'i18next'
import { createContext, memo, useContext } from 'react'
import { useAppStore } from '../../app/store.ts'
import { QuizBoxesContext, useHere } from './here.ts'
import type { GraphBox } from './layout.ts'

export type BoxNodeData = { box: GraphBox }
export type BoxFlowNode = Node<BoxNodeData, 'box'>

/**
 * The translation function, given once by ClusterGraph: useTranslation in each of a thousand
 * boxes cost seconds (each sets up its own i18next subscription).
 */
export const GraphT = createContext<TFunction>(((key: string) => key) as TFunction)

/** The last part of an image reference: `registry.k8s.io/pause:3.10` reads `pause:3.10`. */
const shortImage = (image: string) => image.slice(image.lastIndexOf('/') + 1)

function Label({ box }: { box: GraphBox }) {
  const t = useContext(GraphT)
  switch (box.kind) {
    case 'netns':
      return (
        <span className="g-netns-label" title={box.label}>
          {box.label === 'hostNetwork'
            ? t('graph.hostNetwork')
            : t('graph.netns', { sandbox: shortImage(box.label) })}
        </span>
      )
    case 'underlay':
      return <span className="g-label">{t('graph.underlay')}</span>
    case 'service':
      return (
        <>
          <span className="g-kind">{t('graph.service')}</span>
          <span className="g-label">{box.label}</span>
          {box.detail.map((d) => (
            <span key={d} className="g-detail">
              {d}
            </span>
          ))}
        </>
      )
    case 'l7': {
      const o = box.l7!
      return (
        <>
          <span className="g-kind">{o.kind}</span>
          <span className="g-label">{box.label}</span>
          {o.owner !== null && (
            <span className="g-detail">
              {o.kind === 'HTTPRoute'
                ? t('graph.l7Parent', { name: o.owner })
                : t('graph.l7Class', { cls: `${o.kind}Class`, name: o.owner })}
            </span>
          )}
          {o.accepted === false ? (
            <>
              <span className="g-l7-state">{t('graph.l7NotAttached')}</span>
              {o.reason && (
                <span className="g-detail" title={`Accepted: False (${o.reason})`}>
                  {o.reason}
                </span>
              )}
            </>
          ) : (
            box.detail.map((d) => (
              <span key={d} className="g-detail" title={d}>
                {d}
              </span>
            ))
          )}
        </>
      )
    }
    case 'node':
    case 'pod':
      return (
        <span className="g-head">
          <span className="g-title">
            <span className="g-kind">{t(`where.${box.kind}`)}</span>
            <span className="g-label">{box.label}</span>
          </span>
          <span className="g-detail">{box.detail.join(' · ')}</span>
        </span>
      )
    default:
      return (
        <>
          <span className="g-label">{box.label}</span>
          {box.detail.length > 0 && <span className="g-detail">{box.detail.join(' ')}</span>}
        </>
      )
  }
}

/** Any box of the cluster graph; its kind picks the look (graph.css). */
export const BoxNode = memo(function BoxNode({ data }: NodeProps<BoxFlowNode>) {
  const { box } = data
  const current = useHere(box.id)
  // Opened in the drawer: one selector per box, so opening another re-renders just the two.
  const inspected = useAppStore((s) => s.inspecting === box.id)
  // A choice of the open "where next?" question: marked with its letter, lit while its button is.
  const choice = useContext(QuizBoxesContext).get(box.id)
  const pointed = useAppStore((s) => !!choice && s.predictPointing === choice.choice)
  return (
    <div
      className={`g-box g-${box.kind}${box.deviceKind ? ` dev-${box.deviceKind}` : ''}${box.parent?.startsWith('netns:') ? ' g-in-pod' : ''}${box.l7?.accepted === false ? ' is-detached' : ''}${current ? ` is-current at-${current}` : ''}${inspected ? ' is-inspected' : ''}${choice ? ' is-choice' : ''}${pointed ? ' is-pointed' : ''}`}
      data-box={box.id}
      title={box.label}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} className="g-handle" />
      <Label box={box} />
      {choice && (
        <span className="g-choice-letter" aria-hidden="true">
          {choice.letter}
        </span>
      )}
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="g-handle" />
    </div>
  )
})
