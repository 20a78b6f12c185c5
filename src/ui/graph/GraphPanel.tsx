import { lazy, Suspense } from 'react'
import { useTranslation } from 'react-i18next'
import { selectCamera, useAppStore } from '../../app/store.ts'
import { FollowIcon } from '../icons.tsx'
import { LayerSwitch } from './LayerSwitch.tsx'
import { Legend } from './Legend.tsx'
import { loadGraph } from './load-graph.ts'

// React Flow is most of the graph's weight: its own chunk, fetched while the engine works.
const ClusterGraph = lazy(loadGraph)

/** Follow the packet (pressed, the default) or show the whole cluster: W does the same. */
function CameraSwitch() {
  const { t } = useTranslation()
  const camera = useAppStore(selectCamera)
  const follow = camera === 'follow'
  return (
    <button
      type="button"
      className={follow ? 'camera-switch on' : 'camera-switch'}
      aria-pressed={follow}
      title={t('graph.cameraHint')}
      onClick={() => useAppStore.getState().setCamera(follow ? 'whole' : 'follow')}
    >
      <FollowIcon />
      <span>{t('graph.follow')}</span>
      <kbd aria-hidden="true">W</kbd>
    </button>
  )
}

/**
 * The cluster as a graph with the packet on it, the hero of the stage: the camera switch, the
 * layer switch and the legend stand over its top edge.
 */
export function GraphPanel({ overlays = true }: { overlays?: boolean }) {
  const { t } = useTranslation()
  return (
    <section className="graph-panel" aria-labelledby="graph-heading">
      <h2 id="graph-heading" className="visually-hidden">
        {t('graph.heading')}
      </h2>
      {overlays && (
        <div className="graph-bar">
          <CameraSwitch />
          <LayerSwitch />
          <Legend />
        </div>
      )}
      <Suspense fallback={<div className="graph-canvas graph-loading">{t('graph.loading')}</div>}>
        <ClusterGraph />
      </Suspense>
    </section>
  )
}
