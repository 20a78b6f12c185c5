import { describe, expect, it } from 'vitest'
import { mainIpSetName, namedPortSetId } from './ipsets.ts'
import { endpointSelector, k8sSelectorToCalico, peerSelector } from './k8s-selectors.ts'
import {
  parseSelector,
  prefixLabels,
  selectorMatches,
  selectorString,
  selectorUniqueId,
} from './selector.ts'

const canon = (s: string) => selectorString(parseSelector(s))
const uid = (s: string) => selectorUniqueId(parseSelector(s))

describe("Calico's selectors, printed and hashed as libcalico-go does", () => {
  // projectcalico/calico v3.31.7 libcalico-go/lib/selector/parser/parser_test.go
  // canonicalisationTests: input, canonical String(), UniqueID().
  it.each([
    ['', 'all()', 's:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug'],
    [' (all() )', 'all()', 's:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug'],
    ['! (has( b)||! has(a ))', '!(has(b) || !has(a))', 's:Iss0uCleLYv1GSv_pNm7hAO58kE9jAx1NKyG3Q'],
    [
      '! (a == "b"&&! c != "d")',
      '!(a == "b" && !c != "d")',
      's:lh3haoY1ikTRkd4UZu0nWSaIBknYLPJLX16d-w',
    ],
  ])('%j is %j with ID %s', (input, expected, id) => {
    expect(canon(input)).toBe(expected)
    expect(uid(input)).toBe(id)
  })

  it('quotes a value holding a double quote in single quotes, sorts and dedupes in-sets', () => {
    expect(canon(`a == '"'`)).toBe(`a == '"'`)
    expect(canon(`a startswith '"'`)).toBe(`a starts with '"'`)
    expect(canon(`k in { 'b', 'a', 'b' }`)).toBe('k in {"a", "b"}')
    expect(canon(`k not in {'x'}`)).toBe('k not in {"x"}')
  })

  it('keeps the nesting of parentheses: (a) && (b && c) is not flattened', () => {
    expect(canon(`(a == 'x') && (b == 'y' && c == 'z')`)).toBe(
      '(a == "x" && (b == "y" && c == "z"))',
    )
  })

  it('evaluates as the AST does: != and not in match an absent label', () => {
    expect(selectorMatches(parseSelector(`a != 'x'`), {})).toBe(true)
    expect(selectorMatches(parseSelector(`a not in {'x'}`), { a: 'x' })).toBe(false)
    expect(selectorMatches(parseSelector(`has(a) && a == 'x'`), { a: 'y' })).toBe(false)
    expect(selectorMatches(parseSelector(`a == 'x' || b == 'y'`), { b: 'y' })).toBe(true)
  })
})

describe('a Kubernetes peer as the selector felix gets', () => {
  const sel = (matchLabels: Record<string, string>) => ({ matchLabels, matchExpressions: [] })
  it('pod selectors start with the orchestrator term; empty namespace selectors are all()', () => {
    expect(k8sSelectorToCalico(sel({ b: '2', a: '1' }), 'pod')).toBe(
      "projectcalico.org/orchestrator == 'k8s' && a == '1' && b == '2'",
    )
    expect(k8sSelectorToCalico(null, 'pod')).toBe("projectcalico.org/orchestrator == 'k8s'")
    expect(k8sSelectorToCalico(sel({}), 'namespace')).toBe('all()')
    expect(k8sSelectorToCalico(null, 'namespace')).toBe('')
    expect(
      k8sSelectorToCalico(
        {
          matchLabels: {},
          matchExpressions: [
            { key: 'k', operator: 'In', values: ['a', 'b'] },
            { key: 'j', operator: 'DoesNotExist', values: [] },
          ],
        },
        'pod',
      ),
    ).toBe("projectcalico.org/orchestrator == 'k8s' && k in { 'a', 'b' } && ! has(j)")
  })

  it('namespace labels get pcns., as updateprocessors rules_test.go expects', () => {
    // rules_test.go: "(pcns.key == \"value\") && (projectcalico.org/orchestrator == 'k8s')".
    expect(
      endpointSelector("key == 'value'", "projectcalico.org/orchestrator == 'k8s'", 'ns'),
    ).toBe(`(pcns.key == "value") && (projectcalico.org/orchestrator == 'k8s')`)
    expect(endpointSelector('all()', '', 'ns')).toBe('has(projectcalico.org/namespace)')
    expect(selectorString(prefixLabels(parseSelector('a == "b"'), 'pcns.'))).toBe('pcns.a == "b"')
  })

  it('without a namespace selector, a pod selector stays in the policy namespace', () => {
    const s = peerSelector(
      { kind: 'selector', podSelector: sel({ app: 'web' }), namespaceSelector: null },
      'prod',
    )
    expect(s).toBe(
      "(projectcalico.org/namespace == 'prod') && (projectcalico.org/orchestrator == 'k8s' && app == 'web')",
    )
    expect(canon(s)).toBe(
      '(projectcalico.org/namespace == "prod" && (projectcalico.org/orchestrator == "k8s" && app == "web"))',
    )
  })
})

describe('the AND and OR forms of from, as selectors', () => {
  const sel = (matchLabels: Record<string, string>) => ({ matchLabels, matchExpressions: [] })
  it('one element is one selector over namespace and pod labels; two elements are two', () => {
    const and = peerSelector(
      {
        kind: 'selector',
        namespaceSelector: sel({ user: 'alice' }),
        podSelector: sel({ role: 'client' }),
      },
      'web',
    )
    expect(canon(and)).toBe(
      '(pcns.user == "alice" && (projectcalico.org/orchestrator == "k8s" && role == "client"))',
    )
    const ns = peerSelector(
      { kind: 'selector', namespaceSelector: sel({ user: 'alice' }), podSelector: null },
      'web',
    )
    const pod = peerSelector(
      { kind: 'selector', namespaceSelector: null, podSelector: sel({ role: 'client' }) },
      'web',
    )
    expect(canon(ns)).toBe('(pcns.user == "alice" && projectcalico.org/orchestrator == "k8s")')
    expect(canon(pod)).toBe(
      '(projectcalico.org/namespace == "web" && (projectcalico.org/orchestrator == "k8s" && role == "client"))',
    )
    const tool = {
      'pcns.user': 'alice',
      'projectcalico.org/orchestrator': 'k8s',
      'projectcalico.org/namespace': 'alice',
    }
    expect(selectorMatches(parseSelector(and), tool)).toBe(false)
    expect(selectorMatches(parseSelector(ns), tool)).toBe(true)
  })
})

describe("felix's IP set names", () => {
  it('is cali40 + the set ID, cut to 31 characters (ipsets_test.go: s:qMt7... -> cali40s:qMt7...)', () => {
    // felix/ipsets/ipsets_test.go: ipSetID "s:qMt7iLlGDhvLnCjM0l9nzxbabcd", v4MainIPSetName.
    expect(mainIpSetName('s:qMt7iLlGDhvLnCjM0l9nzxbabcd')).toBe('cali40s:qMt7iLlGDhvLnCjM0l9nzxb')
    expect(mainIpSetName(uid('all()'))).toBe('cali40s:5y5I3VdRZfDU01O--xXAPx2')
  })
  it("names a named port's set from the selector ID, protocol and port name (cali40n:)", () => {
    const id = namedPortSetId(uid('all()'), 'TCP', 'http')
    expect(id).toMatch(/^n:[A-Za-z0-9_-]{38}$/)
    expect(mainIpSetName(id)).toMatch(/^cali40n:/)
    expect(namedPortSetId(uid('all()'), 'UDP', 'http')).not.toBe(id)
  })
})
