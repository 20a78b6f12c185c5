/**
 * The messages a page that embeds PodPath exchanges with it by window.postMessage
 * (docs/embed.md). Every message either way is a plain object `{ podpath: 1, type, ... }`;
 * `podpath` is the protocol's version. What arrives is checked here against the schema of its
 * type (no field missing, none of the wrong kind, none unknown); anything else is answered with
 * an `error` that quotes it, and changes nothing.
 */
import type { Phase } from '../../model/trace.ts'
import { LANGS, type Lang } from '../../model/text.ts'
import { MAX_SOURCE_CHARS } from '../../model/source-limit.ts'
import { SPEEDS, type Speed } from '../store.ts'

/** The protocol's version: bumped when a message changes its meaning. */
export const PROTOCOL = 1

/** What the embedding page may ask. `step` counts from 0, as `?step=` in the address does. */
export type Command =
  | { podpath: 1; type: 'goto'; step: number }
  | { podpath: 1; type: 'next' }
  | { podpath: 1; type: 'prev' }
  | { podpath: 1; type: 'play' }
  | { podpath: 1; type: 'pause' }
  | { podpath: 1; type: 'setLanguage'; lang: Lang }
  | { podpath: 1; type: 'setSpeed'; speed: Speed }
  | { podpath: 1; type: 'openScenario'; yaml: string; name?: string }
  | { podpath: 1; type: 'getState' }
  | { podpath: 1; type: 'export'; format: ExportFormat }

/** What `export` draws the graph's view as: an SVG document, or a PNG of the view's size. */
export const EXPORT_FORMATS = ['svg', 'png'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/**
 * The graph's view as it is on screen, drawn: `data` is the SVG document's text for `svg`, a
 * `data:image/png;base64,` URL for `png` (a string either way, so that every message stays a
 * plain object of strings and numbers); `width` and `height` are the view's, in CSS pixels
 * (the PNG's own pixels: one per CSS pixel); `file` the name the app's Export saves it as.
 */
export interface ExportedView {
  format: ExportFormat
  mime: 'image/svg+xml' | 'image/png'
  data: string
  width: number
  height: number
  file: string
}

export type CommandType = Command['type']

/** Where the open trace is: what `step`, `ready` and `state` carry. */
export interface Position {
  /**
   * The step shown (from 0), and how many there are (0: no trace open), counted as the stage
   * displays them: a closed fold (a phase the lesson does not teach) is one step.
   */
  step: number
  total: number
  phase: Phase | null
  /** The lesson's id; null for a scenario of one's own (or none open). */
  lesson: string | null
  /** The step shown as a position in the whole trace, as the address's `?step=` counts it. */
  traceStep: number
  /** How many steps closed folds hide (the trace has total + folded steps). */
  folded: number
}

export interface StateFields extends Position {
  playing: boolean
  speed: Speed
  lang: Lang
  /** As the app's store says: idle, loading, ready, invalid, missing, failed, offline. */
  status: string
}

/** What PodPath tells the embedding page. */
export type EmbedEvent =
  | ({ podpath: 1; type: 'ready' } & StateFields)
  | ({ podpath: 1; type: 'step' } & Position)
  | ({ podpath: 1; type: 'ended'; outcome: string } & Position)
  | ({ podpath: 1; type: 'state' } & StateFields)
  | { podpath: 1; type: 'quiz-answer'; lesson: string; question: string; correct: boolean }
  | { podpath: 1; type: 'score'; lesson: string; right: number; wrong: number; total: number }
  | ({ podpath: 1; type: 'export' } & ExportedView)
  | { podpath: 1; type: 'error'; message: string; request: unknown }

type FieldCheck = (v: unknown) => boolean

const isStep: FieldCheck = (v) => Number.isSafeInteger(v) && (v as number) >= 0
const isLang: FieldCheck = (v) => LANGS.includes(v as Lang)
const isSpeed: FieldCheck = (v) => SPEEDS.includes(v as Speed)
const isYaml: FieldCheck = (v) => typeof v === 'string' && v.length <= MAX_SOURCE_CHARS
const isFormat: FieldCheck = (v) => EXPORT_FORMATS.includes(v as ExportFormat)
const isName: FieldCheck = (v) => typeof v === 'string' && v.length > 0 && v.length <= 200

interface Schema {
  required: Record<string, { check: FieldCheck; says: string }>
  optional?: Record<string, { check: FieldCheck; says: string }>
}

const SCHEMAS: Record<CommandType, Schema> = {
  goto: { required: { step: { check: isStep, says: 'a whole number from 0' } } },
  next: { required: {} },
  prev: { required: {} },
  play: { required: {} },
  pause: { required: {} },
  setLanguage: { required: { lang: { check: isLang, says: `one of ${LANGS.join(', ')}` } } },
  setSpeed: { required: { speed: { check: isSpeed, says: `one of ${SPEEDS.join(', ')}` } } },
  openScenario: {
    required: {
      yaml: { check: isYaml, says: `a string of at most ${MAX_SOURCE_CHARS} characters` },
    },
    optional: { name: { check: isName, says: 'a file name of 1 to 200 characters' } },
  },
  getState: { required: {} },
  export: {
    required: { format: { check: isFormat, says: `one of ${EXPORT_FORMATS.join(', ')}` } },
  },
}

export const COMMAND_TYPES = Object.keys(SCHEMAS) as CommandType[]

export type Parsed = { ok: true; command: Command } | { ok: false; message: string }

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)

/** Reads a message from the embedding page: a command, or what is wrong with it. */
export function parseCommand(data: unknown): Parsed {
  if (!isPlain(data)) return { ok: false, message: 'a message must be a plain object' }
  if (data.podpath !== PROTOCOL)
    return {
      ok: false,
      message: `podpath must be ${PROTOCOL} (the protocol version this page speaks)`,
    }
  const type = data.type
  if (typeof type !== 'string' || !Object.hasOwn(SCHEMAS, type))
    return { ok: false, message: `unknown type; the commands are ${COMMAND_TYPES.join(', ')}` }
  const schema = SCHEMAS[type as CommandType]
  for (const [key, field] of Object.entries(schema.required)) {
    if (!Object.hasOwn(data, key)) return { ok: false, message: `${type}: ${key} is missing` }
    if (!field.check(data[key]))
      return { ok: false, message: `${type}: ${key} must be ${field.says}` }
  }
  for (const [key, field] of Object.entries(schema.optional ?? {}))
    if (Object.hasOwn(data, key) && !field.check(data[key]))
      return { ok: false, message: `${type}: ${key} must be ${field.says}` }
  const known = new Set([
    'podpath',
    'type',
    ...Object.keys(schema.required),
    ...Object.keys(schema.optional ?? {}),
  ])
  const extra = Object.keys(data).find((k) => !known.has(k))
  if (extra !== undefined) return { ok: false, message: `${type}: unknown field ${extra}` }
  return { ok: true, command: data as unknown as Command }
}

/** An event without its version: what the bridge fills in. */
export type EventBody = EmbedEvent extends infer E
  ? E extends EmbedEvent
    ? Omit<E, 'podpath'>
    : never
  : never

/** An event, with the protocol's version on it. */
export function event(body: EventBody): EmbedEvent {
  return { podpath: PROTOCOL, ...body } as EmbedEvent
}

export function errorEvent(message: string, request: unknown): EmbedEvent {
  return event({ type: 'error', message, request })
}
