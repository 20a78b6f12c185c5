/** A Traffic's `to` as written: `[http[s]://]host[:port][/path]`, before anything resolves it. */
/** Splits `to`; default ports are 80 for http and 443 for https. */
export function parseTo(
  to: string,
): { scheme: 'http' | 'https' | null; host: string; port: number | null; path: string } | null {
  const m = /^(?:(https?):\/\/)?([A-Za-z0-9.-]+)(?::(\d{1,5}))?(\/[^\s]*)?$/.exec(to.trim())
  if (!m) return null
  const scheme = (m[1] as 'http' | 'https' | undefined) ?? null
  const port =
    m[3] !== undefined ? Number(m[3]) : scheme === 'https' ? 443 : scheme === 'http' ? 80 : null
  if (port !== null && (port < 1 || port > 65535)) return null
  return { scheme, host: m[2]!.toLowerCase(), port, path: m[4] ?? '/' }
}
