import { useTranslation } from 'react-i18next'
import { selectCluster, useAppStore } from '../../app/store.ts'

/** One line of context: which CNI, how many nodes and Pods, which MTU. */
export function ClusterFacts() {
  const { t } = useTranslation()
  const cluster = useAppStore(selectCluster)
  if (!cluster) return null
  return (
    <dl className="cluster-facts" aria-label={t('cluster.label')}>
      <div>
        <dt>{t('cluster.cni')}</dt>
        <dd>{cluster.cni}</dd>
      </div>
      <div>
        <dt>{t('cluster.nodes')}</dt>
        <dd>{cluster.nodes.map((n) => n.name).join(', ')}</dd>
      </div>
      <div>
        <dt>{t('cluster.pods')}</dt>
        <dd>{cluster.pods.map((p) => `${p.namespace}/${p.name}`).join(', ')}</dd>
      </div>
      <div>
        <dt>{t('cluster.mtu')}</dt>
        <dd>{t('cluster.mtuValue', { mtu: cluster.mtu, podMtu: cluster.podMtu })}</dd>
      </div>
    </dl>
  )
}
