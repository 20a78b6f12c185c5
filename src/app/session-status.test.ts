import { describe, expect, it, vi } from 'vitest'
import { isUnreachable } from './offline.ts'
import { cancelRun, openLesson, retryLast, setConnection, setSwitches } from './session.ts'
import { useAppStore } from './store.ts'

// Lessons download as files; `net.down` makes the download fail as a browser offline does,
// `net.other` fail in some other way.
const net = vi.hoisted(() => ({ down: false, other: false }))
vi.mock('./lesson-sources.ts', async (actual) => {
  const real = await actual<typeof import('./lesson-sources.ts')>()
  return {
    ...real,
    loadLessonSource: (lesson: Parameters<typeof real.loadLessonSource>[0]) =>
      net.down
        ? Promise.reject(new TypeError('Failed to fetch'))
        : net.other
          ? Promise.reject(new Error('the engine worker stopped'))
          : real.loadLessonSource(lesson),
  }
})

describe('a failed download, told from a crash', () => {
  it('recognises what Chromium, Firefox and Safari say when a module cannot be fetched', () => {
    for (const message of [
      'Failed to fetch dynamically imported module: http://127.0.0.1/assets/x.js',
      'error loading dynamically imported module: http://127.0.0.1/assets/x.js',
      'Importing a module script failed.',
      // fetch(), in the same three.
      'Failed to fetch',
      'NetworkError when attempting to fetch resource.',
      'Load failed',
      'the engine stopped: Failed to fetch dynamically imported module: ./assets/handler.js',
    ])
      expect(isUnreachable(new TypeError(message))).toBe(true)
    expect(isUnreachable(new Error('no traffic "x" in the scenario'))).toBe(false)
    expect(
      isUnreachable(new Error('the worker failed to load the lesson: Load failed twice')),
    ).toBe(false)
  })

  it('shows a lesson that cannot be downloaded as offline, and opens it once back', async () => {
    net.down = true
    await openLesson('mode2-flannel-vxlan', { step: 4 })
    let s = useAppStore.getState()
    expect([s.status, s.lessonId]).toEqual(['offline', 'mode2-flannel-vxlan'])
    net.down = false
    await retryLast()
    s = useAppStore.getState()
    expect([s.lessonId, s.step]).toEqual(['mode2-flannel-vxlan', 4])
  })

  it('takes any failure while the browser is offline for one, and a crash otherwise', async () => {
    net.other = true
    await openLesson('mode2-same-node')
    expect(useAppStore.getState().status).toBe('failed')
    useAppStore.setState({ online: false })
    await openLesson('mode2-same-node')
    expect(useAppStore.getState().status).toBe('offline')
    useAppStore.setState({ online: true })
    net.other = false
  })

  it('retries nothing when nothing failed', async () => {
    await openLesson('mode2-flannel-vxlan', { step: 2 })
    useAppStore.setState({ step: 6 })
    await retryLast()
    expect(useAppStore.getState().step).toBe(6)
  })
})

describe('cancelling an engine run', () => {
  it('goes back to the lesson, switches and step shown before, and says so', async () => {
    await openLesson('mode2-flannel-vxlan', { step: 5 })
    const before = useAppStore.getState()
    const switching = setSwitches({ cni: 'calico-bgp' })
    expect(useAppStore.getState().status).toBe('loading')
    cancelRun()
    await switching
    const s = useAppStore.getState()
    expect(s.status).toBe('ready')
    expect([s.cniSwitch, s.step, s.trace, s.cluster]).toEqual([
      null,
      5,
      before.trace,
      before.cluster,
    ])
    expect(s.engineNotice).toEqual({ kind: 'cancelled', step: before.trace!.steps[5]!.index })
    // The engine still holds the lesson: the next request is answered from it.
    await setConnection(2)
    expect(useAppStore.getState()).toMatchObject({ status: 'ready', connection: 2 })
    expect(useAppStore.getState().engineNotice).toBe(null)
  })

  it('goes back to the first screen when the first lesson opened is cancelled', async () => {
    await openLesson(null)
    // Cancelled as soon as the lesson's file goes to the engine (this engine runs in-process).
    const unsubscribe = useAppStore.subscribe((s, old) => {
      if (s.file && !old.file) queueMicrotask(cancelRun)
    })
    await openLesson('mode3-clusterip-iptables')
    unsubscribe()
    expect(useAppStore.getState()).toMatchObject({
      lessonId: null,
      status: 'idle',
      trace: null,
      engineNotice: { kind: 'cancelled', step: null },
    })
  })
})
