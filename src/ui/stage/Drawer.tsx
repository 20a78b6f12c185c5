import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { selectDrawerOpen, selectInspecting, selectStep, useAppStore } from '../../app/store.ts'
import { DrawerIcon } from '../icons.tsx'
import { BoxPanel } from '../panels/BoxPanel.tsx'
import { PacketInspector } from '../panels/PacketInspector.tsx'
import { TablesPanel } from '../panels/TablesPanel.tsx'
import { useRuleInDrawer } from '../predict/rule-in-drawer.ts'

/**
 * Keeps the rule that decided the step in view inside the drawer (never the page): after the
 * step is painted, one read of where the first matched line is, then a scroll of the drawer alone
 * if it is out of sight. Once per step, in an animation frame, so the read forces no layout.
 */
function useMatchedInView(box: React.RefObject<HTMLElement | null>, selector: string | null) {
  const step = useAppStore(selectStep)
  const answered = useAppStore((s) => s.inspection?.status)
  useEffect(() => {
    if (!selector) return
    const frame = requestAnimationFrame(() => {
      const el = box.current
      const line = el?.querySelector<HTMLElement>(selector)
      if (!el || !line) return
      const view = el.getBoundingClientRect()
      const r = line.getBoundingClientRect()
      if (r.top >= view.top && r.bottom <= view.bottom) return
      // The line near the top, with the table's heading above it when there is room.
      el.scrollTop += r.top - view.top - Math.min(48, view.height / 4)
    })
    return () => cancelAnimationFrame(frame)
  }, [box, step, selector, answered])
}

/**
 * The stage's drawer: the packet inspector and the tables the step read; and, once a box of the
 * graph is opened, that box's tables in a tab of their own.
 */
export function Drawer() {
  const { t } = useTranslation()
  const open = useAppStore(selectDrawerOpen)
  const inspecting = useAppStore(selectInspecting)
  const body = useRef<HTMLDivElement>(null)
  // A box just opened shows its tab (state reset while rendering, as React advises).
  const [tab, setTab] = useState<'step' | 'box'>(inspecting ? 'box' : 'step')
  const [shownBox, setShownBox] = useState(inspecting)
  if (shownBox !== inspecting) {
    setShownBox(inspecting)
    setTab(inspecting ? 'box' : 'step')
  }
  const current = inspecting ? tab : 'step'
  const ruleQuestion = useRuleInDrawer()
  // The rule that decided the step; in a box, the first entry this step used; a "which rule?"
  // question's lines while it is open.
  useMatchedInView(
    body,
    !open
      ? null
      : ruleQuestion
        ? '#drawer-step .predict-lines-group'
        : current === 'step'
          ? '#drawer-step .table-line.matched'
          : '#drawer-box .used-now',
  )
  return (
    <section className={open ? 'stage-drawer open' : 'stage-drawer'} aria-label={t('stage.drawer')}>
      <div className="drawer-bar">
        {inspecting && open && (
          <div className="drawer-tabs" role="tablist" aria-label={t('stage.drawer')}>
            <button
              type="button"
              role="tab"
              id="drawer-tab-step"
              aria-selected={current === 'step'}
              aria-controls="drawer-step"
              onClick={() => setTab('step')}
            >
              {t('stage.thisStep')}
            </button>
            <button
              type="button"
              role="tab"
              id="drawer-tab-box"
              aria-selected={current === 'box'}
              aria-controls="drawer-box"
              onClick={() => setTab('box')}
            >
              {t('box.heading')}
            </button>
          </div>
        )}
        <button
          type="button"
          className={inspecting && open ? 'drawer-toggle icon-only' : 'drawer-toggle'}
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
        <div
          id="drawer-step"
          className="drawer-panel"
          hidden={current !== 'step'}
          {...(inspecting ? { role: 'tabpanel', 'aria-labelledby': 'drawer-tab-step' } : {})}
        >
          <PacketInspector />
          <TablesPanel />
        </div>
        {inspecting && (
          <div
            id="drawer-box"
            className="drawer-panel"
            role="tabpanel"
            aria-labelledby="drawer-tab-box"
            hidden={current !== 'box'}
          >
            <BoxPanel boxId={inspecting} />
          </div>
        )}
      </div>
    </section>
  )
}
