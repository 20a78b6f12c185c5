import { describe, expect, it } from 'vitest'
import { closest, editDistance } from './suggest.ts'

describe('"did you mean"', () => {
  it('counts an insertion, a deletion, a substitution and a swap of neighbours as one edit each', () => {
    expect(editDistance('calicoo', 'calico')).toBe(1)
    expect(editDistance('flanel', 'flannel')).toBe(1)
    expect(editDistance('ipvz', 'ipvs')).toBe(1)
    expect(editDistance('Pdo', 'Pod')).toBe(1)
    expect(editDistance('kitten', 'sitting')).toBe(3)
  })

  it('suggests the nearest choice within two edits, case aside', () => {
    const plugins = ['flannel', 'calico', 'aws-vpc-cni', 'bridge']
    expect(closest('calicoo', plugins)).toBe('calico')
    expect(closest('Calico', plugins)).toBe('calico')
    expect(closest('flanel', plugins)).toBe('flannel')
    expect(closest('aws-vpc', plugins)).toBeNull()
  })

  it('suggests nothing for a word that is mostly different, however short', () => {
    expect(closest('cilium', ['flannel', 'calico'])).toBeNull()
    expect(closest('ab', ['ipip', 'bgp'])).toBeNull()
    expect(closest('x'.repeat(10_000), ['calico'])).toBeNull()
  })
})
