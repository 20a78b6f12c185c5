import type { StepMark } from './timeline.ts'

/**
 * The timeline's marks, each a different shape as well as a colour (so they read in greyscale and
 * for colour-blind eyes): a cross where the packet stops, a diamond at a proxy, a ring at NAT.
 */
export function TimelineMark({ mark }: { mark: StepMark }) {
  return (
    <svg
      className={`timeline-mark-icon mark-${mark}`}
      width={12}
      height={12}
      viewBox="0 0 12 12"
      aria-hidden="true"
      focusable="false"
    >
      {mark === 'stop' && (
        <path d="M2 2 L10 10 M10 2 L2 10" stroke="currentColor" strokeWidth={2.6} fill="none" />
      )}
      {mark === 'proxy' && (
        <path d="M6 0.8 L11.2 6 L6 11.2 L0.8 6 Z" fill="currentColor" stroke="var(--surface)" />
      )}
      {mark === 'nat' && (
        <circle cx={6} cy={6} r={4} fill="var(--surface)" stroke="currentColor" strokeWidth={2.4} />
      )}
    </svg>
  )
}
