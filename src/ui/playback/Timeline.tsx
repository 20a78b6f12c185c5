import { useLayoutEffect, useMemo, useRef, type KeyboardEvent, type PointerEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { selectLang, selectStep, selectTrace, useAppStore } from '../../app/store.ts'
import {
  phaseBands,
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

function goTo(position: number) {
  const s = useAppStore.getState()
  if (s.playing) s.setPlaying(false)
  if (s.step !== position) s.setStep(position)
}

/**
 * The whole trace on one bar: its phases as bands in the order they happen, one tick per step,
 * marks where the packet is dropped, proxied or translated, and where it is now. Click or drag
 * along it to jump; as a slider it answers the arrows, Page Up/Down (by phase), Home and End.
 */
export function Timeline() {
  const { t } = useTranslation()
  const trace = useAppStore(selectTrace)
  const step = useAppStore(selectStep)
  const track = useRef<HTMLDivElement>(null)
  const dragging = useRef(false)
  const labels = useRef<HTMLDivElement>(null)

  const steps = useMemo(() => trace?.steps ?? [], [trace])
  const bands = useMemo(() => phaseBands(steps), [steps])
  const marks = useMemo(
    () =>
      steps.flatMap((s, i) => {
        const mark = stepMark(s.action)
        return mark ? [{ position: i, mark }] : []
      }),
    [steps],
  )
  const count = steps.length
  const lang = useAppStore(selectLang)

  // A short band (two DNS steps among 200) is narrower than its name: its label may run on into
  // the next band, which then starts its own label just after; a label with no room is left out
  // (the band keeps its colour and tooltip). Measured from the DOM, on resize too.
  useLayoutEffect(() => {
    const box = labels.current
    if (!box) return
    const place = () => {
      const width = box.clientWidth
      let free = 0
      for (const el of box.children as HTMLCollectionOf<HTMLElement>) {
        el.style.transform = ''
        el.hidden = false
        const left = el.offsetLeft
        const end = (parseFloat(el.dataset.end ?? '100') / 100) * width
        const shift = Math.max(0, free - left)
        const fits = left + shift < end - 4 && left + shift + el.offsetWidth <= width
        el.hidden = !fits
        if (!fits) continue
        el.style.transform = shift ? `translateX(${shift}px)` : ''
        free = left + shift + el.offsetWidth + 4
      }
    }
    place()
    const observer = new ResizeObserver(place)
    observer.observe(box)
    return () => observer.disconnect()
  }, [bands, count, lang])

  if (count === 0) return null

  const current = steps[Math.min(step, count - 1)]!
  const pct = (n: number) => `${(n / count) * 100}%`
  const jumpTo = (clientX: number) => {
    const box = track.current?.getBoundingClientRect()
    if (!box || box.width === 0) return
    goTo(stepAtFraction((clientX - box.left) / box.width, count))
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
    const to = sliderTarget(e.key, step, count, bands)
    // Other keys (Space plays) go on to the graph panel's handler.
    if (to === null) return
    e.preventDefault()
    e.stopPropagation()
    goTo(to)
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
        aria-valuenow={step + 1}
        aria-valuetext={t('timeline.valueText', {
          n: current.index,
          pos: step + 1,
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
              from: steps[b.start]!.index,
              to: steps[b.end]!.index,
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
              data-end={pct(b.end + 1)}
            >
              {t(`phase.${b.phase}`)}
            </span>
          ))}
        </div>
        <div
          className="timeline-slice"
          style={{ left: pct(step), width: pct(1) }}
          aria-hidden="true"
        />
        {steps.map((s, i) => (
          <span
            key={i}
            className={`timeline-tick phase-${s.phase}${stepMark(s.action) ? ' marked' : ''}`}
            style={{ left: `${stepCentre(i, count)}%` }}
            data-step={i}
          />
        ))}
        {marks.map(({ position, mark }) => (
          <span
            key={position}
            className={`timeline-mark mark-${mark}`}
            // Kept whole inside the bar at either end.
            style={{ left: `clamp(6px, ${stepCentre(position, count)}%, calc(100% - 6px))` }}
            data-mark={mark}
            data-step={position}
          >
            <TimelineMark mark={mark} />
          </span>
        ))}
        <div
          className={`timeline-thumb phase-${current.phase}`}
          style={{ left: `${stepCentre(step, count)}%` }}
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
