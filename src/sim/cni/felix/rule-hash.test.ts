import { describe, expect, it } from 'vitest'
import { felixRuleHashes } from './rule-hash.ts'

describe('felixRuleHashes', () => {
  it("reproduces a real node's cali-tw chain hashes (iptables-save of a minikube Calico node)", () => {
    // iptables-save printed, for the DB Pod's endpoint:
    //   -A cali-tw-cali95aa86cbb2a -m comment --comment "cali:eCrqwxNk3cKw9Eq6" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
    //   -A cali-tw-cali95aa86cbb2a -m comment --comment "cali:_krp5nzavhAu5avJ" -m conntrack --ctstate INVALID -j DROP
    expect(
      felixRuleHashes('cali-tw-cali95aa86cbb2a', [
        '-m conntrack --ctstate RELATED,ESTABLISHED --jump ACCEPT',
        '-m conntrack --ctstate INVALID --jump DROP',
      ]),
    ).toEqual(['eCrqwxNk3cKw9Eq6', '_krp5nzavhAu5avJ'])
  })
  it("hashes felix's rendering, not iptables-save's: -j gives other hashes", () => {
    const [h] = felixRuleHashes('cali-tw-cali95aa86cbb2a', [
      '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    ])
    expect(h).not.toBe('eCrqwxNk3cKw9Eq6')
  })
  it('chains: the same rule has another hash in another chain or after another rule', () => {
    const r = '-m conntrack --ctstate INVALID --jump DROP'
    const [a] = felixRuleHashes('cali-tw-a', [r])
    const [b] = felixRuleHashes('cali-tw-b', [r])
    const [, c] = felixRuleHashes('cali-tw-a', [r, r])
    expect(new Set([a, b, c]).size).toBe(3)
    expect(a).toMatch(/^[A-Za-z0-9_-]{16}$/)
  })
})
