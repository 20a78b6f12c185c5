/**
 * A course page on a second origin (another port of 127.0.0.1), as an author would write one:
 * it frames PodPath and keeps every message PodPath posts to it (window.got); window.send posts
 * a command to the frame. A plain node:http server, in the test, on 127.0.0.1 only.
 */
import { createServer, type Server } from 'node:http'

/** The port of the course page's origin (the app is on PW_PORT). */
export const COURSE_PORT = Number(process.env.PW_COURSE_PORT ?? 5219)
export const COURSE_ORIGIN = `http://127.0.0.1:${COURSE_PORT}`
export const APP_ORIGIN = `http://127.0.0.1:${Number(process.env.PW_PORT ?? 4173)}`

const page = (src: string) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A course page</title></head>
<body>
<h1>Networking, week 3</h1>
<iframe id="podpath" title="PodPath lesson" src="${src.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" width="800" height="500"></iframe>
<script>
  const frame = document.getElementById('podpath')
  window.got = []
  addEventListener('message', (e) => {
    if (e.source === frame.contentWindow) window.got.push({ origin: e.origin, data: e.data })
  })
  window.send = (m) => frame.contentWindow.postMessage(m, ${JSON.stringify(APP_ORIGIN)})
</script>
</body>
</html>`

export interface CoursePage {
  /** The page's address, framing PodPath at `app` (a path and query on the app's origin). */
  url(app: string): string
  close(): Promise<void>
}

export async function serveCoursePage(): Promise<CoursePage> {
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', COURSE_ORIGIN)
    // No icon: an empty answer, not a 404 the console would report.
    if (u.pathname === '/favicon.ico') return res.writeHead(204).end()
    const app = u.searchParams.get('app')
    if (u.pathname !== '/course.html' || !app) return res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(APP_ORIGIN + app))
  })
  await new Promise<void>((resolve) => server.listen(COURSE_PORT, '127.0.0.1', resolve))
  return {
    url: (app) => `${COURSE_ORIGIN}/course.html?app=${encodeURIComponent(app)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
