import { useLayoutEffect, useRef } from 'react'
import { GraphPanel } from '../graph/GraphPanel.tsx'
import { StepPanels } from '../panels/StepPanels.tsx'

/**
 * The graph beside the current step's panels, sized to end at the bottom of the first screen
 * whatever stands above it (a one-line or a wrapped request picker, a longer title). It writes
 * its own top offset into a CSS variable; the stylesheet does the rest (workspace.css).
 */
export function Workspace() {
  const box = useRef<HTMLDivElement>(null)
  useLayoutEffect(() => {
    const el = box.current
    const page = el?.parentElement
    if (!el || !page) return
    const place = () => {
      const top = el.getBoundingClientRect().top + window.scrollY
      el.style.setProperty('--ws-top', `${Math.round(top)}px`)
    }
    place()
    // What stands above changes the lesson's size; so does the window.
    const observer = new ResizeObserver(place)
    observer.observe(page)
    window.addEventListener('resize', place)
    return () => {
      observer.disconnect()
      window.removeEventListener('resize', place)
    }
  }, [])
  return (
    <div ref={box} className="workspace">
      <GraphPanel />
      <StepPanels />
    </div>
  )
}
