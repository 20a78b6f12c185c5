import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { acquireKernelLock, releaseKernelLock } from './kernel-lock.ts'

// A lock of its own, so that a kernel test running meanwhile is not disturbed.
const LOCK = join(tmpdir(), `podpath-kernel-lock-test-${process.pid}`)

describe('the kernel tests’ lock', () => {
  it('waits while a live process holds it, and takes it once that process has gone', async () => {
    // A live holder: a child process that is still running.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 1500)'])
    mkdirSync(LOCK)
    writeFileSync(join(LOCK, 'pid'), String(child.pid))
    let taken = false
    const waiting = acquireKernelLock(50, LOCK).then(() => (taken = true))
    await new Promise((r) => setTimeout(r, 400))
    expect(taken).toBe(false)
    await waiting // the child exits after 1.5 s: its lock is stale and taken over
    expect(taken).toBe(true)
    releaseKernelLock(LOCK)
    expect(existsSync(LOCK)).toBe(false)
  })

  it('refuses, instead of waiting forever, where a file stands at its path (as `flock` leaves)', async () => {
    writeFileSync(LOCK, '')
    try {
      await expect(acquireKernelLock(50, LOCK)).rejects.toThrow(/not the kernel tests' lock/)
    } finally {
      rmSync(LOCK, { force: true })
    }
  })
})
