import { describe, expect, it } from 'vitest'
import { parseScenario } from './parse-scenario.ts'

const errors = (src: string) =>
  parseScenario(src, 'pasted.yaml').diagnostics.filter((d) => d.severity === 'error')
const yamlErrors = (src: string) => errors(src).filter((d) => d.cause === 'yaml')

/** A five-line paste, as a learner would paste it, with `line4` as its fourth line. */
const paste = (line4: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n${line4}\nspec: {}\n`

describe('a YAML syntax error', () => {
  it('points at the quote that is never closed, not past the last line (6:1)', () => {
    const [e, more] = errors(paste('  name: "web'))
    expect(more).toBeUndefined()
    expect(e).toMatchObject({ line: 4, col: 9, cause: 'yaml' })
    expect(e!.message.en).toBe(
      'YAML syntax: this " opens a quoted string that never ends: add the closing "',
    )
    expect(errors(paste("  name: 'web"))[0]).toMatchObject({ line: 4, col: 9 })
  })

  it('points at the "[" or "{" that is never closed, innermost first', () => {
    expect(errors(paste('  name: [web'))[0]).toMatchObject({ line: 4, col: 9 })
    const two = errors('apiVersion: v1\nkind: Pod\nspec: { containers: [ {name: a }\n')
    expect(two.map((e) => `${e.line}:${e.col} ${e.message.en}`)).toEqual([
      '3:21 YAML syntax: this "[" is never closed: the list it opens needs a "]"',
      '3:7 YAML syntax: this "{" is never closed: the map it opens needs a "}"',
    ])
    expect(two[1]!.message['zh-CN']).toBe(
      'YAML 语法错误：这个 “{” 没有闭合：它开始的映射需要一个 “}”',
    )
  })

  it('does not take closed quotes for open ones', () => {
    // An escaped quote, an escaped backslash before the closing quote, and '' inside single quotes.
    expect(yamlErrors(paste('  name: "a\\"b"'))).toEqual([])
    expect(yamlErrors(paste('  name: "a\\\\"'))).toEqual([])
    expect(yamlErrors(paste("  name: 'it''s'"))).toEqual([])
    expect(yamlErrors(paste("  name: ''"))).toEqual([])
  })

  it('keeps the library position when it is inside the text, without repeating it in the message', () => {
    const [e] = errors(paste(' labels: {}\n  name: web'))
    expect(e).toMatchObject({ line: 5, col: 1 })
    expect(e!.message.en).toBe('YAML syntax: All mapping items must start at the same column')
  })

  it('stops the reading: no error follows from documents read after a guess', () => {
    const src = `${paste('  name: [web')}---\napiVersion: v1\nkind: Pod\nmetadata: {name: Bad_Name}\n`
    expect(errors(src)).toHaveLength(1)
  })
})

describe('a file with nothing in it', () => {
  it.each([
    ['empty', ''],
    ['only ---', '---\n'],
    ['only --- twice', '---\n---\n'],
    ['only comments', '# a comment\n\n'],
  ])('is an error when %s, not a cluster made of defaults', (_, src) => {
    const r = parseScenario(src, 'empty.yaml')
    expect(r.scenario).toBeNull()
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        line: 1,
        col: 1,
        severity: 'error',
        cause: 'file',
        message: {
          en: 'the file holds no documents (it is empty, or only comments and "---"): write at least a Cluster or a Pod',
          'zh-CN': '文件里没有任何文档（为空，或只有注释和 “---”）：请至少写一个 Cluster 或 Pod',
        },
      }),
    ])
  })
})
