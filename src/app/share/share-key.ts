/**
 * A share link's place in the address (`#s=...`) and the limits on its length: what the page
 * needs on every load. The codec (compression, the SHA-256 check) is share-link.ts, loaded only
 * to open or make a link.
 */

/** The fragment's key: `#s=...`. */
export const SHARE_KEY = 's'

/**
 * Chromium's kMaxURLChars (url/url_constants.h, 2 * 1024 * 1024): a longer URL is dropped as
 * invalid when it crosses from one of the browser's processes to another, so it cannot open.
 */
export const BROWSER_URL_LIMIT = 2 * 1024 * 1024
/**
 * What a chat keeps of a message: Discord refuses a message longer than 2,000 characters
 * (4,000 with Nitro), the shortest common limit, so a longer link may not arrive whole there.
 */
export const CHAT_LIMIT = 2000

/** The scenario part of an address's fragment (`#s=...`), or null when it holds none. */
export function shareValue(hash: string): string | null {
  const prefix = `#${SHARE_KEY}=`
  return hash.startsWith(prefix) ? hash.slice(prefix.length) : null
}
