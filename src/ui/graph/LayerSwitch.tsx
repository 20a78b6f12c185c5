import { useTranslation } from 'react-i18next'
import { GRAPH_LAYERS, selectGraphLayer, useAppStore } from '../../app/store.ts'

/** Brings one layer of the network forward on the graph and dims the rest. */
export function LayerSwitch() {
  const { t } = useTranslation()
  const layer = useAppStore(selectGraphLayer)
  return (
    <div className="layer-switch" role="group" aria-label={t('graph.layer')}>
      {GRAPH_LAYERS.map((l) => (
        <button
          key={l}
          type="button"
          aria-pressed={layer === l}
          onClick={() => useAppStore.getState().setGraphLayer(l)}
        >
          {t(`graph.layers.${l}`)}
        </button>
      ))}
    </div>
  )
}
