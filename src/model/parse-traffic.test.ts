import { describe, expect, it } from 'vitest'
import { parseScenario } from './parse-scenario.ts'

const traffic = (name: string) =>
  `apiVersion: podpath.dev/v1alpha1\nkind: Traffic\nmetadata: {name: ${name}}\nspec: {from: {node: node-1}, to: "10.0.0.1:80"}\n`
const errors = (src: string) =>
  parseScenario(src, 'f.yaml').diagnostics.filter((d) => d.severity === 'error')

describe('a Traffic name', () => {
  it('is a DNS subdomain, as Kubernetes names custom resources (NameIsDNSSubdomain)', () => {
    const [e] = errors(traffic('Client_To_Web'))
    expect(e).toMatchObject({
      line: 3,
      col: 18,
      cause: 'kubernetes',
      object: 'Traffic/Client_To_Web',
    })
    expect(e!.message.en).toBe(
      '"Client_To_Web" is not a valid Traffic name: Kubernetes names it as a DNS subdomain (RFC 1123: at most 253 lower-case letters, digits, "-" and ".", beginning and ending with a letter or digit)',
    )
    for (const bad of ['-web', 'web-', 'web..x', "'a b'", `${'a'.repeat(254)}`, "''"])
      expect(errors(traffic(bad)), bad).toHaveLength(1)
    for (const good of ['client-to-web', 'a', 'to.web.2', 'a'.repeat(253)])
      expect(errors(traffic(good)), good).toEqual([])
  })

  it('is unique: a second Traffic of the same name is refused, as the API server refuses it', () => {
    const [e, more] = errors(`${traffic('t')}---\n${traffic('t')}`)
    expect(more).toBeUndefined()
    expect(e).toMatchObject({ line: 8, col: 18, cause: 'kubernetes' })
    expect(e!.message.en).toBe('Traffic "t" is declared twice: names are unique within a kind')
  })
})
