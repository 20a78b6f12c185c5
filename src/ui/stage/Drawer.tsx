import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { selectDrawerOpen, selectStep, useAppStore } from '../../app/store.ts'
import { DrawerIcon } from '../icons.tsx'
import { PacketInspector } from '../panels/PacketInspector.tsx'
import { TablesPanel } from '../panels/TablesPanel.tsx'

/**
 * Keeps the rule that decided the step in view inside the drawer (never the page): after the
 * step is painted, one read of where the first matched line is, then a scroll of the drawer alone
 * if it is out of sight. Once per step, in an animation frame, so the read forces no layout.
 */
function useMatchedInView(box: React.RefObject<HTMLElement | null>) {
  const step = useAppStore(selectStep)
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      const el = box.current
      const line = el?.querySelector<HTMLElement>('.table-line.matched')
      if (!el || !line) return
      const view = el.getBoundingClientRect()
      const r = line.getBoundingClientRect()
      if (r.top >= view.top && r.bottom <= view.bottom) return
      // The line near the top, with the table's heading above it when there is room.
      el.scrollTop += r.top - view.top - Math.min(48, view.height / 4)
    })
    return () => cancelAnimationFrame(frame)
  }, [box, step])
}

/** The stage's drawer: the packet inspector and the tables the step read. */
export function Drawer() {
  const { t } = useTranslation()
  const open = useAppStore(selectDrawerOpen)
  const body = useRef<HTMLDivElement>(null)
  useMatchedInView(body)
  return (
    <section className={open ? 'stage-drawer open' : 'stage-drawer'} aria-label={t('stage.drawer')}>
      <div className="drawer-bar">
        <button
          type="button"
          className="drawer-toggle"
          aria-expanded={open}
          aria-controls="drawer-body"
          title={`${open ? t('stage.hideDrawer') : t('stage.showDrawer')} (I)`}
          onClick={() => useAppStore.getState().setDrawerOpen(!open)}
        >
          <DrawerIcon />
          <span>{open ? t('stage.hideDrawer') : t('stage.showDrawer')}</span>
        </button>
      </div>
      {/* Scrolls on its own beside the graph, so it takes the keyboard's focus to scroll too. */}
      <div
        ref={body}
        id="drawer-body"
        className="drawer-body step-panels"
        hidden={!open}
        tabIndex={0}
        aria-label={t('workspace.panels')}
        role="region"
      >
        <PacketInspector />
        <TablesPanel />
      </div>
    </section>
  )
}
