import { describe, expect, it } from 'vitest'
import { parseRule, saveRule } from '../../print/iptables-save.ts'
import type { RestoreRule } from '../../proxy/iptables-rules.ts'
import { felixFilter, lengthLimitedId, policyChainName } from './filter-chains.ts'

const saved = (rules: RestoreRule[]) => rules.map((r) => saveRule(parseRule(r)))
const empty = felixFilter({ policies: [], namespaceLabels: {} }, [])

describe("felix's filter chains, as iptables-save prints them", () => {
  // Every line below is from projectcalico/calico v3.31.0 felix/fv/cali-iptables-dump.txt, an
  // iptables-save of a felix node with the default mark mask: the rules, their order and their
  // cali: hashes must come out the same.
  it('hooks FORWARD at the top and accepts what policy passed at its end', () => {
    expect(saved(empty.inserts)).toEqual([
      '-A FORWARD -m comment --comment "cali:wUHhoiAYhphO9Mso" -j cali-FORWARD',
    ])
    expect(saved(empty.appends)).toEqual([
      '-A FORWARD -m comment --comment "cali:S93hcgKJrXEqnTfs" -m comment --comment "Policy explicitly accepted packet." -m mark --mark 0x10000/0x10000 -j ACCEPT',
      '-A FORWARD -m comment --comment "cali:mp77cMpurHhyjLrM" -j MARK --set-xmark 0x10000/0x10000',
    ])
  })

  it('dispatches from cali-FORWARD by interface, after clearing its marks', () => {
    expect(saved(empty.rules.filter((r) => r.chain === 'cali-FORWARD'))).toEqual([
      '-A cali-FORWARD -m comment --comment "cali:W_vvds1Nw3n9QE2f" -j MARK --set-xmark 0x0/0x1a0000',
      '-A cali-FORWARD -m comment --comment "cali:ZfgmjuiLaA8Pg0kp" -m mark --mark 0x0/0x10000 -j cali-from-hep-forward',
      '-A cali-FORWARD -i cali+ -m comment --comment "cali:tAzwBLPaV-j53OOZ" -j cali-from-wl-dispatch',
      '-A cali-FORWARD -o cali+ -m comment --comment "cali:4Z0Pf0byo05NFe-P" -j cali-to-wl-dispatch',
      '-A cali-FORWARD -m comment --comment "cali:hQ7Oc16wmUtLuneJ" -j cali-to-hep-forward',
      '-A cali-FORWARD -m comment --comment "cali:rnKNH2WxGcRQcIlD" -j cali-cidr-block',
    ])
  })

  it('drops what comes from or goes to an interface it has no workload for', () => {
    expect(saved(empty.rules.filter((r) => r.chain.endsWith('-wl-dispatch')))).toEqual([
      '-A cali-from-wl-dispatch -m comment --comment "cali:zTj6P0TIgYvgz-md" -m comment --comment "Unknown interface" -j DROP',
      '-A cali-to-wl-dispatch -m comment --comment "cali:7KNphB1nNHw80nIO" -m comment --comment "Unknown interface" -j DROP',
    ])
  })
})

describe('felix chain names', () => {
  it('hashes a name too long for 28 characters (felix rules/policy_test.go)', () => {
    // PolicyID{Name: "long-policy-name-that-gets-hashed"} with no tier: suffix "/<name>".
    expect(lengthLimitedId('cali-pi-', '/long-policy-name-that-gets-hashed')).toBe(
      'cali-pi-_FJ9yUkNpzshVDh2n7mg',
    )
    expect(lengthLimitedId('cali-pri-', 'kns.default')).toBe('cali-pri-kns.default')
  })

  it('names a Kubernetes NetworkPolicy by tier "default" and "<namespace>/knp.default.<name>"', () => {
    expect(policyChainName('pi', { namespace: 'default', name: 'deny' })).toBe(
      lengthLimitedId('cali-pi-', 'default/default/knp.default.deny'),
    )
    expect(policyChainName('po', { namespace: 'default', name: 'deny' })).toMatch(
      /^cali-po-_[A-Za-z0-9_-]{19}$/,
    )
  })
})
