/**
 * One kernel test at a time on a machine. The lab test (src/lessons/lab.kernel.test.ts) zeroes
 * and then reads netfilter counters that must move only with its own traffic; run beside the
 * iptables round trip (src/lessons/iptables-kernel.test.ts) in another Vitest worker, the first
 * labs saw counters move that their traffic never crossed, and alone they never did. Each file
 * holds this lock for its whole run: a directory made atomically by mkdir, with the holder's pid
 * so that a lock left by a killed run is taken over.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const KERNEL_LOCK = join(tmpdir(), 'podpath-kernel-tests.lock')

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function tryTake(lock: string): boolean {
  try {
    mkdirSync(lock)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    // A file there (`flock` on the same path makes one) would be waited on forever: say so.
    if (!isDirectory(lock))
      throw new Error(`${lock} is not the kernel tests' lock (a directory): remove it`, {
        cause: e,
      })
    const holder = holderPid(lock)
    if (holder === null) return false // being made or removed this very moment: try again
    if (holder === process.pid) return true
    if (!alive(holder)) rmSync(lock, { recursive: true, force: true })
    return false
  }
  writeFileSync(join(lock, 'pid'), String(process.pid))
  return true
}

/** Waits until no other kernel test runs, then holds the lock until `releaseKernelLock`. */
export async function acquireKernelLock(pollMs = 250, lock = KERNEL_LOCK): Promise<void> {
  while (!tryTake(lock)) await new Promise((r) => setTimeout(r, pollMs))
}

export function releaseKernelLock(lock = KERNEL_LOCK): void {
  if (holderPid(lock) === process.pid) rmSync(lock, { recursive: true, force: true })
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return true // removed meanwhile: the next try makes it
  }
}

function holderPid(lock: string): number | null {
  try {
    return Number(readFileSync(join(lock, 'pid'), 'utf8'))
  } catch {
    return null
  }
}
