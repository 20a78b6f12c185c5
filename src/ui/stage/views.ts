/**
 * The one place that says what each view of the stage shows. Explore, present and speaker are
 * not pages of their own: each picks which parts of the one stage appear round the graph, how
 * large the graph's text is drawn, and which theme it wears. Embed (`embed=1`, in a course
 * page's iframe) shows the graph, the caption and the step controls only. Predict mode is a switch that
 * goes with a view (src/app/store.ts): `predict` says how each view shows its questions.
 */
import type { StageView } from '../../app/store.ts'

export interface ViewParts {
  /** The page's bar (title, switches, request, language), the lesson list and what is below. */
  chrome: boolean
  graph: boolean
  /** The current step's narration: beside the graph, a band over it, or the whole window. */
  caption: 'side' | 'band' | 'full'
  /** The packet inspector, the tables and the inspected box. */
  drawer: boolean
  /** Play, step and the timeline. */
  controls: boolean
  /** Export (SVG, PNG) beside the step controls, where no bar holds the Share menu's. */
  export: boolean
  /** "Step 6 of 28" standing on its own (the controls say it where they are shown). */
  counter: boolean
  /** The step after this one, in words (for the teacher). */
  next: boolean
  /** The lesson's title on the stage itself (where the page's bar is not shown). */
  title: boolean
  /** A spot that follows the mouse, for pointing at the projected graph. */
  pointer: boolean
  /** Presenter mode's own buttons (the speaker window, leave), faint until the mouse comes. */
  tools: boolean
  /** The blanked screen covers this view (not the speaker window, whose screen is the teacher's). */
  blanks: boolean
  /** `projector`: high contrast that survives a washed-out projector. */
  theme: 'default' | 'projector'
  /**
   * Predict mode's questions: beside the graph (under it on a phone or in a small frame), large
   * in a band over the caption for a class to answer aloud (presenter mode), or not at all (the
   * speaker window).
   */
  predict: 'panel' | 'large' | null
  /**
   * How large the camera draws the graph's smallest text, in CSS pixels, when it follows the
   * packet: at least 12 on a laptop (11 at 1024 px), 20 on a 1920 px projector.
   */
  graphTextPx: number
  /**
   * How small the camera may draw that text to keep the whole hop (the packet and its box) in a
   * graph area too small for it at `graphTextPx`; equal to it where the hop is never squeezed.
   */
  graphTextFloorPx: number
}

export const VIEWS: Record<StageView, ViewParts> = {
  explore: {
    chrome: true,
    graph: true,
    caption: 'side',
    drawer: true,
    controls: true,
    export: false,
    counter: false,
    next: false,
    title: false,
    pointer: false,
    tools: false,
    blanks: true,
    theme: 'default',
    predict: 'panel',
    graphTextPx: 12.5,
    graphTextFloorPx: 12.5,
  },
  present: {
    chrome: false,
    graph: true,
    caption: 'band',
    drawer: false,
    controls: false,
    export: false,
    counter: true,
    next: false,
    title: false,
    pointer: true,
    tools: true,
    blanks: true,
    theme: 'projector',
    predict: 'large',
    graphTextPx: 21,
    graphTextFloorPx: 21,
  },
  speaker: {
    chrome: false,
    graph: false,
    caption: 'full',
    drawer: true,
    controls: true,
    export: false,
    counter: true,
    next: true,
    title: true,
    pointer: false,
    tools: false,
    blanks: false,
    theme: 'default',
    predict: null,
    graphTextPx: 12.5,
    graphTextFloorPx: 12.5,
  },
  embed: {
    chrome: false,
    graph: true,
    caption: 'band',
    drawer: false,
    controls: true,
    export: true,
    counter: false,
    next: false,
    title: false,
    pointer: false,
    tools: false,
    blanks: true,
    theme: 'default',
    // Beside the graph in a wide frame, under it in a small one (stage.css, the embed view).
    predict: 'panel',
    // Readable in an 800x500 frame: the camera frames the hop at 12 px text.
    graphTextPx: 12,
    graphTextFloorPx: 9,
  },
}

/** Presenter mode's type grows with the canvas: 20 px graph text at 1920 px, more on 4K. */
export function graphTextPx(view: StageView, canvasWidth: number): number {
  const base = VIEWS[view].graphTextPx
  return view === 'present' ? Math.max(base, (base * canvasWidth) / 1920) : base
}
