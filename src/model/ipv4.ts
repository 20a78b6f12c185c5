/** IPv4 addresses and CIDR blocks as plain numbers: fast, deterministic, no DOM. */

export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  readonly base: number
  readonly prefix: number
}

export function parseIp(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim())
  if (!m) return null
  let n = 0
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i])
    if (octet > 255) return null
    n = n * 256 + octet
  }
  return n
}

export function formatIp(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
}

/** Parses `a.b.c.d/len`. Host bits must be zero, as Kubernetes requires of CIDR fields. */
export function parseCidr(text: string): Cidr | null {
  const [addr, len, extra] = text.trim().split('/')
  if (addr === undefined || len === undefined || extra !== undefined || !/^\d{1,2}$/.test(len)) {
    return null
  }
  const ip = parseIp(addr)
  const prefix = Number(len)
  if (ip === null || prefix > 32) return null
  if ((ip & ~maskOf(prefix)) >>> 0 !== 0) return null
  return { base: ip, prefix }
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.prefix}`
}

export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix)
}

export function cidrContains(c: Cidr, ip: number): boolean {
  return (ip & maskOf(c.prefix)) >>> 0 === c.base
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix)
  const m = maskOf(p)
  return (a.base & m) >>> 0 === (b.base & m) >>> 0
}

/** The `index`-th subnet of length `prefix` inside `parent`, or null when it does not fit. */
export function subnetAt(parent: Cidr, prefix: number, index: number): Cidr | null {
  if (prefix < parent.prefix || prefix > 32) return null
  const count = 2 ** (prefix - parent.prefix)
  if (index < 0 || index >= count) return null
  return { base: (parent.base + index * 2 ** (32 - prefix)) >>> 0, prefix }
}

/** The subnet of length `prefix` that contains `ip`. */
export function enclosing(ip: number, prefix: number): Cidr {
  return { base: (ip & maskOf(prefix)) >>> 0, prefix }
}
