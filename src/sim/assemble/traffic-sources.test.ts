import { describe, expect, it } from 'vitest'
import { loadScenarioSource } from '../../cli/load.ts'

const errorsOf = (yaml: string) =>
  loadScenarioSource(yaml, 'f.yaml')
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.line}:${d.col} ${d.message.en}`)

const pod = (name: string, spec = '{containers: [{name: c}]}') =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: ${spec}\n---\n`
const traffic = (name: string, from: string) =>
  `apiVersion: podpath.dev/v1alpha1\nkind: Traffic\nmetadata: {name: ${name}}\nspec: {from: ${from}, to: "10.1.1.1:80"}\n---\n`

describe('a Traffic sent from a Pod or node that does not exist', () => {
  it('is reported beside the other errors of the file, not only once they are fixed', () => {
    const src =
      pod('web', '{nodeName: node-9, containers: [{name: c}]}') + traffic('t', '{pod: nosuch}')
    expect(errorsOf(src)).toEqual([
      '4:18 spec.nodeName "node-9" names a node that does not exist (nodes: node-1, node-2)',
      '9:20 Pod default/nosuch does not exist',
    ])
    const fromNode =
      pod('web', '{nodeName: node-9, containers: [{name: c}]}') + traffic('t', '{node: node-7}')
    expect(errorsOf(fromNode)[1]).toBe('9:21 node node-7 does not exist')
  })

  it('is not reported again when the file writes that Pod but it was refused for its own error', () => {
    // An invalid name, then a Pod with no container: each is its own error, and only that.
    expect(errorsOf(pod('Client_1') + traffic('t', '{pod: Client_1}'))).toEqual([
      '3:18 "Client_1" is not a valid Pod name (lower-case letters, digits and "-", as RFC 1123 requires)',
    ])
    expect(errorsOf(pod('client', '{containers: []}') + traffic('t', '{pod: client}'))).toEqual([
      '4:20 a Pod needs at least one container',
    ])
  })

  it('is not reported for a Pod its controller would name, when the controller was not placed', () => {
    const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {nodeName: node-9, containers: [{name: c}]}}}\n---\n`
    expect(errorsOf(deployment + traffic('t', '{pod: web-abc-xyz}'))).toHaveLength(1)
  })

  it('is still reported for a guessed controller Pod name when the build finishes', () => {
    const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c}]}}}\n---\n`
    expect(errorsOf(deployment + traffic('t', '{pod: web-abc-xyz}'))).toEqual([
      '9:20 Pod default/web-abc-xyz does not exist',
    ])
  })
})
