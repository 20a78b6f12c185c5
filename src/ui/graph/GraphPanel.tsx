import { lazy, Suspense } from 'react'
import { useTranslation } from 'react-i18next'
import { PlaybackControls } from '../playback/PlaybackControls.tsx'
import { Timeline } from '../playback/Timeline.tsx'
import { handleStepKey } from '../step-keys.ts'
import { LayerSwitch } from './LayerSwitch.tsx'
import { Legend } from './Legend.tsx'

// React Flow is most of the graph's weight: it loads after the lesson text is on screen.
const ClusterGraph = lazy(() => import('./ClusterGraph.tsx'))

/** The cluster as a graph with the packet on it, and the controls that move it. */
export function GraphPanel() {
  const { t } = useTranslation()
  return (
    <section
      className="graph-panel"
      aria-labelledby="graph-heading"
      onKeyDown={(e) => {
        // The step keys work from any control of the panel; its buttons answer Space
        // themselves, and the speed menu its own arrows.
        const tag = (e.target as HTMLElement).tagName
        if (tag === 'SELECT' || (e.key === ' ' && tag === 'BUTTON')) return
        if (handleStepKey(e)) e.preventDefault()
      }}
    >
      <div className="graph-bar">
        <h2 id="graph-heading">{t('graph.heading')}</h2>
        <LayerSwitch />
        <Legend />
      </div>
      <Suspense fallback={<div className="graph-canvas graph-loading">{t('graph.loading')}</div>}>
        <ClusterGraph />
      </Suspense>
      <PlaybackControls />
      <Timeline />
    </section>
  )
}
