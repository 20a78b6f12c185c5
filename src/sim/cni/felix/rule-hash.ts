/**
 * Calico felix's rule hashes, the `cali:<hash>` comment on every rule it programs (felix
 * generictables Chain.RuleHashes with the iptables renderer, projectcalico/calico
 * felix/iptables and felix/generictables):
 * - h = SHA-224(chain name);
 * - for each rule in order: h = SHA-224(h || felix's own rendering of the rule as
 *   `-A <chain> HASH <comments> <match> <action>`), so a rule's hash depends on its chain, its
 *   position and every rule before it;
 * - the comment is the first 16 characters of base64url (RFC 4648 §5, no padding) of h.
 * `renderedRules` are what felix renders after `HASH `: its `-m comment --comment "..."`
 * fragments, the match, and the action as felix writes it (`--jump ACCEPT`, `--goto X`,
 * `--jump MARK --set-mark ...`), not as iptables-save reprints it (`-j ACCEPT`).
 * Self-contained: any felix chain (filter policy chains, cali-nat-outgoing) can use it.
 */
import { sha224 } from '@noble/hashes/sha2.js'

/** HashLength in felix: 16 characters, 96 bits. */
export const FELIX_HASH_LENGTH = 16

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

export function base64url(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!
    const b = bytes[i + 1]
    const c = bytes[i + 2]
    out += B64URL[a >> 2]! + B64URL[((a & 3) << 4) | ((b ?? 0) >> 4)]!
    if (b !== undefined) out += B64URL[((b & 15) << 2) | ((c ?? 0) >> 6)]!
    if (c !== undefined) out += B64URL[c & 63]!
  }
  return out
}

const utf8 = new TextEncoder()

export function felixRuleHashes(chainName: string, renderedRules: readonly string[]): string[] {
  let h = sha224(utf8.encode(chainName))
  return renderedRules.map((rule) => {
    const line = utf8.encode(rule === '' ? `-A ${chainName} HASH` : `-A ${chainName} HASH ${rule}`)
    const input = new Uint8Array(h.length + line.length)
    input.set(h)
    input.set(line, h.length)
    h = sha224(input)
    return base64url(h).slice(0, FELIX_HASH_LENGTH)
  })
}
