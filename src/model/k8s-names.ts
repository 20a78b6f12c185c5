/** How Kubernetes names the objects its controllers create. */

// apimachinery pkg/util/rand: vowels are left out "to reduce the chances of bad words".
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789'

/** apimachinery rand.SafeEncodeString: each byte of `s` picks a character of ALPHANUMS. */
export function safeEncodeString(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length]
  return out
}

/** FNV-1a, 32 bits (Go hash/fnv New32a). */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i) & 0xff
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/**
 * The `pod-template-hash` label: kubernetes pkg/controller ComputeHash is
 * SafeEncodeString(decimal FNV-32a of the Pod template). Kubernetes hashes its Go struct dump;
 * PodPath hashes the template's canonical JSON, so the shape is real but the value differs.
 */
export function podTemplateHash(template: unknown): string {
  return safeEncodeString(String(fnv32a(canonicalJson(template))))
}

/** The five-character suffix of generated names (apimachinery rand.String(5) alphabet). */
export function nameSuffix(seedText: string): string {
  let h = fnv32a(seedText)
  let out = ''
  for (let i = 0; i < 5; i++) {
    out += ALPHANUMS[h % ALPHANUMS.length]
    h = Math.floor(h / ALPHANUMS.length) ^ Math.imul(h, 0x9e3779b1)
    h >>>= 0
  }
  return out
}

export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null'
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  const o = v as Record<string, unknown>
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`
}

/** RFC 1123 DNS label, the rule for namespaces and most object names' segments. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/
/** RFC 1123 subdomain, the rule for Pod and Node names. */
export const DNS_SUBDOMAIN =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
