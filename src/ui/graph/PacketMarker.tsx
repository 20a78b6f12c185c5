import { useTranslation } from 'react-i18next'
import { selectSpeed, STEP_MS, useAppStore } from '../../app/store.ts'
import type { GraphBox } from './layout.ts'

const PARTS = ['node', 'pod', 'container', 'device', 'component', 'hook'] as const
const WIDE = 260

/**
 * The packet: a labelled token at the top edge of the box the current step happens at. It glides
 * there from the previous step's box with a CSS transition on its transform (no React state per
 * frame; none at all when the learner prefers reduced motion, see graph.css). A drop or reject
 * shows as a cross with the engine's reason.
 */
export function PacketMarker({ box }: { box: GraphBox | null }) {
  const { t } = useTranslation()
  const step = useAppStore((s) => s.trace?.steps[s.step] ?? null)
  const isLast = useAppStore((s) => s.step === (s.trace?.steps.length ?? 0) - 1)
  const reason = useAppStore((s) => s.trace?.reason ?? null)
  const speed = useAppStore(selectSpeed)
  if (!step || !box) return null
  const stopped = step.action === 'drop' || step.action === 'reject'
  // Said as the step list says it: node node-1, device cni0.
  const where = PARTS.filter((k) => step.at[k] !== null)
    .map((k) => `${t(`where.${k}`)} ${step.at[k]}`)
    .join(', ')
  // A pin on the top edge of a small box; inside the right end of a wide one (a bridge, the
  // underlay, a node), where it covers neither the box's own label nor the row above it.
  const wide = box.w >= WIDE
  const x = wide ? box.ax + box.w - 10 : box.ax + box.w / 2
  const y = wide ? box.ay + Math.min(box.h / 2, 24) : box.ay
  return (
    <div
      className={`packet phase-${step.phase}${stopped ? ' stopped' : ''}${wide ? ' inside' : ''}`}
      data-testid="packet"
      data-at={box.id}
      data-step={step.index}
      style={{
        transform: `translate(${x}px, ${y}px)`,
        transitionDuration: `${Math.round(Math.min(700, (STEP_MS / speed) * 0.6))}ms`,
      }}
    >
      <div className="packet-token" role="img" aria-label={t('graph.packetAt', { where })}>
        {stopped ? (
          <>
            <span className="packet-x" aria-hidden="true">
              ✕
            </span>
            <span>{t(`outcome.${step.action === 'drop' ? 'dropped' : 'rejected'}`)}</span>
            {isLast && reason && (
              <span className="packet-reason" lang="en">
                {reason}
              </span>
            )}
          </>
        ) : (
          <>
            <span className="packet-dot" aria-hidden="true" />
            <span>{t(`phase.${step.phase}`)}</span>
          </>
        )}
      </div>
    </div>
  )
}
