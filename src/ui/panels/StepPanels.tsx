import { useTranslation } from 'react-i18next'
import { Narration } from './Narration.tsx'
import { PacketInspector } from './PacketInspector.tsx'
import { TablesPanel } from './TablesPanel.tsx'

/** Beside the graph: the current step in words, its packet, and the tables it read. */
export function StepPanels() {
  const { t } = useTranslation()
  return (
    // Scrolls on its own beside the graph, so it takes the keyboard's focus to scroll too.
    <section className="step-panels" aria-label={t('workspace.panels')} tabIndex={0}>
      <Narration />
      <PacketInspector />
      <TablesPanel />
    </section>
  )
}
