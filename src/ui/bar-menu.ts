import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'

/**
 * A menu that drops from a button in the bar (Share, More): open or shut, closed by Esc (the
 * focus back on its button) or by a press anywhere outside it.
 */
export function useBarMenu() {
  const [open, setOpen] = useState(false)
  const id = useId()
  const box = useRef<HTMLDivElement>(null)
  const toggle = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!open) return
    const outside = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', outside)
    return () => document.removeEventListener('pointerdown', outside)
  }, [open])

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !open) return
    // The stage's key map leaves a key a control has handled (keymap.ts).
    e.preventDefault()
    setOpen(false)
    toggle.current?.focus()
  }
  return { open, setOpen, id, box, toggle, onKeyDown }
}
