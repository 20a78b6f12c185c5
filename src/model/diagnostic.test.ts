import { describe, expect, it } from 'vitest'
import { stoppingCause, type Diagnostic } from './diagnostic.ts'
import { parseScenario } from './parse-scenario.ts'

const causeOf = (src: string) => stoppingCause(parseScenario(src, 'f.yaml').diagnostics)
const d = (cause: Diagnostic['cause'], severity: Diagnostic['severity'] = 'error'): Diagnostic => ({
  file: 'f.yaml',
  line: 1,
  col: 1,
  object: '',
  severity,
  message: { en: '', 'zh-CN': '' },
  ...(cause && { cause }),
})

describe('what stops a scenario, for the heading over its errors', () => {
  it('is the cause every error shares; warnings and notes do not count', () => {
    expect(stoppingCause([d('kubernetes'), d('kubernetes'), d('file', 'warning')])).toBe(
      'kubernetes',
    )
    expect(stoppingCause([d('file'), d('file')])).toBe('file')
  })

  it('is YAML as soon as one error is, since nothing else was checked', () => {
    expect(stoppingCause([d('kubernetes'), d('yaml')])).toBe('yaml')
  })

  it('is mixed when the errors differ or one is not classified', () => {
    expect(stoppingCause([d('kubernetes'), d('file')])).toBe('mixed')
    expect(stoppingCause([d('kubernetes'), d(undefined)])).toBe('mixed')
  })

  it('heads a plain typo as a mistake in the file, not as a rule of Kubernetes', () => {
    const cluster = (cni: string) =>
      `apiVersion: podpath.dev/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec: {cni: ${cni}}\n`
    expect(causeOf(cluster('{plugin: calicoo}'))).toBe('file')
    expect(causeOf(cluster('{plugin: calico, backend: ipipp}'))).toBe('file')
    expect(causeOf(cluster('{plugin: calico, vni: "x"}'))).toBe('file')
    expect(causeOf('apiVersion: v1\nkind: Pod\nmetadata: {}\n')).toBe('file')
    expect(causeOf('')).toBe('file')
  })

  it('heads what Kubernetes refuses as a rule of Kubernetes, and unreadable YAML as YAML', () => {
    const pod = (name: string, ports: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: a, ports: [${ports}]}, {name: b, ports: [${ports}]}]}\n`
    expect(causeOf(pod('web', '{containerPort: 80}'))).toBe('kubernetes')
    expect(causeOf(pod('Web_1', '{containerPort: 81}'))).toBe('kubernetes')
    expect(causeOf('apiVersion: v1\nkind: Pod\nmetadata: {name: "web\n')).toBe('yaml')
    expect(causeOf('['.repeat(500))).toBe('yaml')
  })
})
