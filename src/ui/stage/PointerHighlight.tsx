import { useEffect, useRef, type RefObject } from 'react'

/** How long the spot stays after the mouse stops. */
const LINGER_MS = 2500

/**
 * A bright ring that follows the mouse over the projected stage, so the class sees what the
 * teacher points at. Moved by writing its transform on pointer events: React renders nothing.
 */
export function PointerHighlight({ area }: { area: RefObject<HTMLElement | null> }) {
  const spot = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = area.current
    const ring = spot.current
    if (!el || !ring) return
    let hide = 0
    const move = (e: PointerEvent) => {
      if (e.pointerType === 'touch') return
      ring.style.transform = `translate(${e.clientX}px, ${e.clientY}px)`
      ring.dataset.on = ''
      window.clearTimeout(hide)
      hide = window.setTimeout(() => delete ring.dataset.on, LINGER_MS)
    }
    const leave = () => delete ring.dataset.on
    el.addEventListener('pointermove', move)
    el.addEventListener('pointerleave', leave)
    return () => {
      window.clearTimeout(hide)
      el.removeEventListener('pointermove', move)
      el.removeEventListener('pointerleave', leave)
    }
  }, [area])
  return <div ref={spot} className="pointer-spot" aria-hidden="true" />
}
