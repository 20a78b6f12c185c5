/**
 * The iframe a course author pastes into a page to embed the view on screen (the app's "Embed"
 * action, docs/embed.md): the same address as "Copy link" gives (lesson, request, step,
 * language, switches, camera, layer; an own scenario in the fragment), in the embed view
 * (`embed=1`), with `origin=` naming a placeholder the author replaces by the course page's own
 * origin, the one PodPath will obey and answer.
 */
import type { Lang } from '../../model/text.ts'

/** What the author replaces with the course page's origin (a valid origin, so it parses). */
export const ORIGIN_PLACEHOLDER = 'https://course.example'

/** The size the snippet proposes: readable at it (docs/embed.md), responsive from 320x240. */
export const EMBED_SIZE = { width: 800, height: 500 } as const

const attr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * The address of the embed view: `page` is the app's address without query or fragment,
 * `search` and `hash` the view's (url.ts formatUrl and formatHash); a view only a window of
 * its own can show (presenter mode, the speaker window) is the plain stage in a frame.
 * `questions` turns predict mode on or off in the frame (left out: as the view has it).
 */
export function embedAddress(
  page: string,
  search: string,
  hash: string,
  opts: { questions?: boolean } = {},
): string {
  const q = new URLSearchParams(search)
  for (const p of ['present', 'speaker', 'embed', 'origin', 'page']) q.delete(p)
  // "With questions": predict mode in the frame, whose answers the page hears (docs/embed.md).
  if (opts.questions !== undefined) q.delete('predict')
  if (opts.questions) q.set('predict', '1')
  q.set('embed', '1')
  q.set('origin', ORIGIN_PLACEHOLDER)
  // URLSearchParams writes `:` and `/` escaped; an origin reads better as written.
  const query = q.toString().replace(/origin=[^&]*/, `origin=${ORIGIN_PLACEHOLDER}`)
  return `${page}?${query}${hash}`
}

/** The iframe element, as text: its title in the page's language names the lesson. */
export function embedSnippet(address: string, title: string, lang: Lang): string {
  const label = lang === 'zh-CN' ? `PodPath：${title}` : `PodPath: ${title}`
  return [
    '<iframe',
    `  src="${attr(address)}"`,
    `  title="${attr(label)}"`,
    `  width="${EMBED_SIZE.width}"`,
    `  height="${EMBED_SIZE.height}"`,
    '  style="border: 0; max-width: 100%"',
    '  allow="fullscreen"',
    '  loading="lazy"',
    '></iframe>',
  ].join('\n')
}
