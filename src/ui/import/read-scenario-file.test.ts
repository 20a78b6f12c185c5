import { describe, expect, it } from 'vitest'
import { MAX_SCENARIO_MB, readScenarioFile } from './read-scenario-file.ts'

describe("reading the learner's scenario file", () => {
  it('gives its name and text', async () => {
    const r = await readScenarioFile(new File(['kind: Cluster\n'], 'mine.yaml'))
    expect(r).toEqual({ ok: true, name: 'mine.yaml', text: 'kind: Cluster\n' })
  })

  it('refuses a file bigger than any scenario, before reading it', async () => {
    const big = new File([new Uint8Array(MAX_SCENARIO_MB * 2 ** 20 + 1)], 'disk.img')
    expect(await readScenarioFile(big)).toEqual({
      ok: false,
      problem: 'tooBig',
      name: 'disk.img',
      size: '5.0',
      max: MAX_SCENARIO_MB,
    })
  })

  it('refuses a binary file', async () => {
    const r = await readScenarioFile(new File([new Uint8Array([0x89, 0x50, 0, 0])], 'a.png'))
    expect(r).toEqual({ ok: false, problem: 'unreadable', name: 'a.png' })
  })
})
