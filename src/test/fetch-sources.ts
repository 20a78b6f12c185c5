/**
 * Vitest setup: the unit tests run in Node, where an asset's address (`/src/lessons/x.yaml`, as
 * Vite's dev server names the project's files) has no server behind it. This answers a fetch of
 * such a path from the file on disk, as the dev server would; any other fetch goes through.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const realFetch = globalThis.fetch

globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const address = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
  if (!address.startsWith('/src/')) return realFetch(input, init)
  const path = new URL(address, 'file:///').pathname
  try {
    return new Response(await readFile(ROOT + path.slice(1), 'utf8'), { status: 200 })
  } catch {
    return new Response('not found', { status: 404 })
  }
}
