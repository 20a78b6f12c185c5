/**
 * The origins an embedding page trusts, as it names them in the iframe's address:
 * `origin=https://course.example,https://lms.example`. Read strictly: each entry must be an
 * origin exactly as the browser serialises one (scheme, host and port only: no path, no
 * trailing slash, no wildcard, no `null`), or the whole list is refused, so that a typo never
 * trusts more or less than the author meant without a word.
 */

export type Origins = { ok: true; origins: string[] } | { ok: false; bad: string }

/** The serialised origin of `entry` when it is one exactly as written, else null. */
function exactOrigin(entry: string): string | null {
  let url: URL
  try {
    url = new URL(entry)
  } catch {
    return null
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null
  // URL.origin drops a default port and lower-cases the host: the entry must already be so.
  return url.origin === entry ? entry : null
}

export function parseOrigins(param: string): Origins {
  const entries = param.split(',')
  const origins: string[] = []
  for (const entry of entries) {
    if (exactOrigin(entry) === null) return { ok: false, bad: entry }
    if (!origins.includes(entry)) origins.push(entry)
  }
  return { ok: true, origins }
}
