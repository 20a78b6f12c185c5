/**
 * A plain static host for the built app, as a course site would serve it: the folder `dist/`
 * under a sub-path of its own (`/course/podpath/`), nothing else on the server, no special
 * headers. On 127.0.0.1 and a port of the system's choosing; it records every request.
 */
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'

const DIST = join(import.meta.dirname, '..', 'dist')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
}

/**
 * How long a first visit may take to show a lesson: the build is fetched, parsed and run from
 * nothing, on a machine that may be running other builds. A wait, not a measure.
 */
export const FIRST_VISIT = { timeout: 60_000 }

export interface StaticHost {
  /** The app's address, ending in `/`. */
  url: string
  /** Paths asked for, in order (query strings dropped). */
  requests: string[]
  /** Paths answered 404. */
  missing: string[]
  /** Appends to sw.js as served, so that the browser sees a new version of it. */
  setServiceWorkerSuffix(suffix: string): void
  close(): Promise<void>
}

export async function serveDist(prefix = '/course/podpath/'): Promise<StaticHost> {
  const requests: string[] = []
  const missing: string[] = []
  let swSuffix = ''
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://host').pathname
    requests.push(path)
    const notFound = () => {
      missing.push(path)
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    }
    if (!path.startsWith(prefix)) return notFound()
    const rel = normalize(decodeURIComponent(path.slice(prefix.length)) || 'index.html')
    if (rel.startsWith('..')) return notFound()
    readFile(join(DIST, rel)).then(
      (body) => {
        const text = rel === 'sw.js' ? Buffer.concat([body, Buffer.from(swSuffix)]) : body
        res.writeHead(200, {
          'content-type': TYPES[extname(rel)] ?? 'application/octet-stream',
          // As a static host would: the browser checks sw.js for an update on each visit.
          'cache-control': 'no-cache',
        })
        res.end(text)
      },
      () => notFound(),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    missing,
    setServiceWorkerSuffix: (suffix) => {
      swSuffix = suffix
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
