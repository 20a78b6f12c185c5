import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react'
import type { KeyboardEvent as ReactKeyboardEvent, ReactNode } from 'react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import { glossaryEntry } from '../../app/glossary/find-terms.ts'
import { selectLang, useAppStore } from '../../app/store.ts'

/** The one term whose explanation is open: opening another closes it. */
let closeOpen: (() => void) | null = null

/** How long the pointer may take to travel from the term into its explanation. */
const HOVER_GRACE_MS = 200

const TABBABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/** The next element Tab would reach after `el`, in document order (skipping hidden ones). */
function nextTabbable(el: HTMLElement, skip: HTMLElement | null): HTMLElement | null {
  const all = [...document.querySelectorAll<HTMLElement>(TABBABLE)].filter(
    (x) => !skip?.contains(x) && x.getClientRects().length > 0,
  )
  return all[all.indexOf(el) + 1] ?? null
}

/**
 * A glossary term in running text: a button that opens its explanation on hover, on keyboard
 * focus, or on a click or tap (which keeps it open until a second one, a tap elsewhere or
 * Escape). The explanation is a popover in the top layer, so no panel clips it, tied to the
 * button as its description (read out on focus) and reachable by Tab for its source link. It
 * lives at the end of the document (a portal), so the text it explains stays the text it was.
 */
export function Term({ id, children }: { id: string; children: ReactNode }) {
  const { t } = useTranslation()
  const lang = useAppStore(selectLang)
  const entry = glossaryEntry(id)
  const popId = useId()
  const button = useRef<HTMLButtonElement>(null)
  const pop = useRef<HTMLSpanElement>(null)
  const leave = useRef<number | null>(null)
  const [open, setOpen] = useState(false)
  // A click pins the explanation open; hover and focus show it while they last.
  const pinned = useRef(false)
  // Focus that a press brings is the click's to handle, not the keyboard's.
  const pressedAt = useRef(0)

  const hide = useCallback(() => {
    pinned.current = false
    setOpen(false)
  }, [])
  const show = useCallback(() => {
    if (leave.current !== null) window.clearTimeout(leave.current)
    leave.current = null
    if (closeOpen && closeOpen !== hide) closeOpen()
    closeOpen = hide
    setOpen(true)
  }, [hide])

  // Shown in the top layer, beside the term: below it, or above where the window ends.
  useLayoutEffect(() => {
    const el = pop.current
    const b = button.current
    if (!el || !b) return
    if (!open) {
      if (el.matches(':popover-open')) el.hidePopover()
      return
    }
    if (!el.matches(':popover-open')) el.showPopover()
    const place = () => {
      const r = b.getBoundingClientRect()
      const w = el.offsetWidth
      const h = el.offsetHeight
      const left = Math.max(8, Math.min(r.left, window.innerWidth - w - 8))
      const below = r.bottom + 6
      const top = below + h > window.innerHeight - 8 && r.top - h - 6 > 8 ? r.top - h - 6 : below
      el.style.left = `${Math.round(left)}px`
      el.style.top = `${Math.round(top)}px`
    }
    place()
    window.addEventListener('scroll', place, true)
    window.addEventListener('resize', place)
    return () => {
      window.removeEventListener('scroll', place, true)
      window.removeEventListener('resize', place)
    }
  }, [open])

  // Escape closes it (and brings focus back to the term); so does a press anywhere else.
  useEffect(() => {
    if (!open) return
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return
      e.stopPropagation()
      const inside = pop.current?.contains(document.activeElement)
      hide()
      if (inside) {
        // Back to the term, without opening it again.
        pressedAt.current = performance.now()
        button.current?.focus()
      }
    }
    const onDown = (e: PointerEvent) => {
      const target = e.target as Node
      if (!button.current?.contains(target) && !pop.current?.contains(target)) hide()
    }
    document.addEventListener('keydown', onKey, true)
    document.addEventListener('pointerdown', onDown, true)
    return () => {
      document.removeEventListener('keydown', onKey, true)
      document.removeEventListener('pointerdown', onDown, true)
    }
  }, [open, hide])

  useEffect(
    () => () => {
      if (closeOpen === hide) closeOpen = null
      if (leave.current !== null) window.clearTimeout(leave.current)
    },
    [hide],
  )

  if (!entry) return <>{children}</>
  const onEnter = () => show()
  const onLeave = () => {
    if (pinned.current) return
    if (leave.current !== null) window.clearTimeout(leave.current)
    leave.current = window.setTimeout(() => {
      if (!pinned.current && !pop.current?.contains(document.activeElement)) hide()
    }, HOVER_GRACE_MS)
  }
  // The popover is elsewhere in the document: Tab goes into it from the term, and out of it on to
  // what follows the term, as if it stood right after it.
  const onButtonKey = (e: ReactKeyboardEvent) => {
    if (e.key !== 'Tab' || e.shiftKey || !open) return
    const link = pop.current?.querySelector('a')
    if (!link) return
    e.preventDefault()
    link.focus()
  }
  const onPopKey = (e: ReactKeyboardEvent) => {
    if (e.key !== 'Tab' || !button.current) return
    e.preventDefault()
    if (e.shiftKey) return button.current.focus()
    const next = nextTabbable(button.current, pop.current)
    hide()
    next?.focus()
  }
  return (
    <span className="term" onMouseEnter={onEnter} onMouseLeave={onLeave}>
      <button
        ref={button}
        type="button"
        className="term-button"
        aria-expanded={open}
        aria-controls={popId}
        aria-describedby={popId}
        data-term={id}
        onPointerDown={() => {
          pressedAt.current = performance.now()
        }}
        onFocus={() => {
          if (performance.now() - pressedAt.current > 500) show()
        }}
        onBlur={(e) => {
          if (!pop.current?.contains(e.relatedTarget as Node) && !pinned.current) hide()
        }}
        onKeyDown={onButtonKey}
        onClick={() => {
          if (open && pinned.current) return hide()
          pinned.current = true
          show()
        }}
      >
        {children}
      </button>
      {createPortal(
        <span
          ref={pop}
          id={popId}
          className="term-pop"
          popover="manual"
          // No role or name of its own: as the term's description, its whole text is read out.
          lang={lang}
          onMouseEnter={onEnter}
          onMouseLeave={onLeave}
          onKeyDown={onPopKey}
          onBlur={(e) => {
            const to = e.relatedTarget as Node | null
            if (!pop.current?.contains(to) && to !== button.current && !pinned.current) hide()
          }}
        >
          <strong className="term-name">{entry.term[lang]}</strong>
          <span className="term-short">{entry.short[lang]}</span>
          <a className="term-source" href={entry.source.url} target="_blank" rel="noreferrer">
            {t('glossary.source', { title: entry.source.title })}
          </a>
        </span>,
        document.body,
      )}
    </span>
  )
}
