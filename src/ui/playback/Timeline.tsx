import { useLayoutEffect, useMemo, useRef, type KeyboardEvent, type PointerEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { positionOf, shownIndexOf, type Shown } from '../../app/fold.ts'
import { stepTo } from '../../app/stepping.ts'
import { selectLang, selectShown, selectStep, selectTrace, useAppStore } from '../../app/store.ts'
import {
  shownBands,
  sliderTarget,
  stepAtFraction,
  stepCentre,
  stepMark,
  type StepMark,
} from './timeline.ts'
import { TimelineMark } from './TimelineMark.tsx'
import './timeline.css'

/** Past this many steps the plain ticks fade back and only the marked steps stand out. */
const DENSE = 120
const MARK_ORDER: StepMark[] = ['stop', 'proxy', 'nat']

/** The last trace position a displayed step covers. */
const lastOf = (x: Shown) => (x.kind === 'step' ? x.position : x.fold.end)

/**
 * Where each band label goes, from widths read in one pass: a short band (two DNS steps among
 * 200) is narrower than its name, so its label may run on into the next band, which then starts
 * its own label just after; a label with no room is left out (the band keeps its colour and
 * tooltip). Pure: the reads come first, the writes after, so the layout is computed once.
 */
function placeLabels(
  width: number,
  labels: readonly { left: number; width: number; end: number }[],
): { shift: number; fits: boolean }[] {
  let free = 0
  return labels.map((l) => {
    const shift = Math.max(0, free - l.left)
    const fits = l.left + shift < l.end - 4 && l.left + shift + l.width <= width
    if (fits) free = l.left + shift + l.width + 4
    return { shift, fits }
  })
}

/**
 * The whole trace on one bar, as it is displayed (a closed fold is one slice): its phases as
 * bands in the order they happen, one tick per step, marks where the packet is dropped, proxied
 * or translated, and where it is now. Click or drag along it to jump; as a slider it answers the
 * arrows, Home and End (Page Up/Down and Shift with them are the stage's: src/ui/stage/keymap.ts).
 */
export function Timeline() {
  const { t } = useTranslation()
  const trace = useAppStore(selectTrace)
  const step = useAppStore(selectStep)
  const shown = useAppStore(selectShown)
  const track = useRef<HTMLDivElement>(null)
  const dragging = useRef(false)
  const labels = useRef<HTMLDivElement>(null)

  const steps = useMemo(() => trace?.steps ?? [], [trace])
  const bands = useMemo(() => shownBands(steps, shown), [steps, shown])
  const marks = useMemo(
    () =>
      shown.flatMap((x, i) => {
        if (x.kind !== 'step') return []
        const mark = stepMark(steps[x.position]!.action)
        return mark ? [{ at: i, position: x.position, mark }] : []
      }),
    [steps, shown],
  )
  const count = shown.length
  const lang = useAppStore(selectLang)

  // All the labels are shown, then all their widths read, then all placed: one layout, where a
  // write between two reads would lay the page out again for every label. Again on a resize.
  useLayoutEffect(() => {
    const box = labels.current
    if (!box) return
    const place = (width: number) => {
      const els = [...(box.children as HTMLCollectionOf<HTMLElement>)]
      for (const el of els) {
        el.hidden = false
        el.style.transform = ''
      }
      const read = els.map((el) => ({
        left: (parseFloat(el.dataset.start ?? '0') / 100) * width,
        width: el.scrollWidth,
        end: (parseFloat(el.dataset.end ?? '100') / 100) * width,
      }))
      placeLabels(width, read).forEach(({ shift, fits }, i) => {
        const el = els[i]!
        el.hidden = !fits
        el.style.transform = fits && shift ? `translateX(${shift}px)` : ''
      })
    }
    const observer = new ResizeObserver(([entry]) => {
      if (entry) place(entry.contentRect.width)
    })
    observer.observe(box)
    return () => observer.disconnect()
  }, [bands, count, lang])

  if (count === 0) return null

  const here = shownIndexOf(shown, step)
  const current = steps[Math.min(step, steps.length - 1)]!
  const pct = (n: number) => `${(n / count) * 100}%`
  const jumpTo = (clientX: number) => {
    const box = track.current?.getBoundingClientRect()
    if (!box || box.width === 0) return
    stepTo(positionOf(shown[stepAtFraction((clientX - box.left) / box.width, count)]!))
  }
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return
    dragging.current = true
    // Focus first: the step list, seeing the page's focus on the bar, leaves the page where it is.
    e.currentTarget.focus({ preventScroll: true })
    e.currentTarget.setPointerCapture(e.pointerId)
    jumpTo(e.clientX)
  }
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (dragging.current) jumpTo(e.clientX)
  }
  const endDrag = () => {
    dragging.current = false
  }
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return
    const to = sliderTarget(e.key, here, count)
    // Other keys (Space, Page Down) go on to the stage's keyboard map.
    if (to === null) return
    e.preventDefault()
    stepTo(positionOf(shown[to]!))
  }
  const present = MARK_ORDER.filter((m) => marks.some((x) => x.mark === m))

  return (
    <div className="timeline">
      <div
        ref={track}
        className={`timeline-track${count > DENSE ? ' dense' : ''}`}
        role="slider"
        tabIndex={0}
        aria-label={t('timeline.label')}
        aria-orientation="horizontal"
        aria-valuemin={1}
        aria-valuemax={count}
        aria-valuenow={here + 1}
        aria-valuetext={t('timeline.valueText', {
          n: current.index,
          pos: here + 1,
          count,
          phase: t(`phase.${current.phase}`),
          action: t(`action.${current.action}`),
        })}
        data-testid="timeline"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onKeyDown={onKeyDown}
      >
        {bands.map((b) => (
          <div
            key={b.start}
            className={`timeline-band phase-${b.phase}`}
            style={{ left: pct(b.start), width: pct(b.end - b.start + 1) }}
            title={t('timeline.band', {
              phase: t(`phase.${b.phase}`),
              from: steps[positionOf(shown[b.start]!)]!.index,
              to: steps[lastOf(shown[b.end]!)]!.index,
            })}
            data-phase={b.phase}
          />
        ))}
        <div className="timeline-labels" ref={labels} aria-hidden="true">
          {bands.map((b) => (
            <span
              key={b.start}
              className={`timeline-band-label phase-${b.phase}`}
              style={{ left: pct(b.start) }}
              data-start={(b.start / count) * 100}
              data-end={((b.end + 1) / count) * 100}
            >
              {t(`phase.${b.phase}`)}
            </span>
          ))}
        </div>
        <div
          className="timeline-slice"
          style={{ left: pct(here), width: pct(1) }}
          aria-hidden="true"
        />
        {shown.map((x, i) => {
          const s = steps[positionOf(x)]!
          const marked = x.kind === 'step' && stepMark(s.action)
          return x.kind === 'fold' ? (
            <span
              key={i}
              className={`timeline-tick timeline-fold phase-${s.phase}`}
              style={{ left: `${(i / count) * 100}%`, width: pct(1) }}
              data-step={x.fold.start}
              title={t('timeline.folded', {
                topic: t(`fold.topic.${x.fold.topic}`),
                count: x.fold.end - x.fold.start + 1,
              })}
            />
          ) : (
            <span
              key={i}
              className={`timeline-tick phase-${s.phase}${marked ? ' marked' : ''}`}
              style={{ left: `${stepCentre(i, count)}%` }}
              data-step={x.position}
            />
          )
        })}
        {marks.map(({ at, position, mark }) => (
          <span
            key={position}
            className={`timeline-mark mark-${mark}`}
            // Kept whole inside the bar at either end.
            style={{ left: `clamp(6px, ${stepCentre(at, count)}%, calc(100% - 6px))` }}
            data-mark={mark}
            data-step={position}
          >
            <TimelineMark mark={mark} />
          </span>
        ))}
        <div
          className={`timeline-thumb phase-${current.phase}`}
          style={{ left: `${stepCentre(here, count)}%` }}
        />
      </div>
      <div className="timeline-foot">
        {present.length > 0 && (
          <ul className="timeline-legend" aria-label={t('timeline.marks')}>
            {present.map((m) => (
              <li key={m} className={`mark-${m}`}>
                <TimelineMark mark={m} />
                {t(`timeline.${m}`)}
              </li>
            ))}
          </ul>
        )}
        <span className="timeline-hint">{t('timeline.hint')}</span>
      </div>
    </div>
  )
}
