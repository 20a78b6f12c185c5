import { describe, expect, it } from 'vitest'
import type { Picture } from './shapes.ts'
import { toSvg } from './svg.ts'

const PICTURE: Picture = {
  width: 640,
  height: 400,
  background: 'rgb(255, 255, 255)',
  title: 'mode2 · <Cluster> & graph',
  shapes: [
    {
      kind: 'rect',
      x: 10,
      y: 10,
      w: 200,
      h: 100,
      r: 8,
      fill: 'rgb(241, 245, 249)',
      stroke: 'rgb(148, 163, 184)',
      strokeWidth: 2,
      dashed: true,
      opacity: 0.5,
    },
    {
      kind: 'path',
      d: 'M 0,0 C 10,10 20,20 30,30',
      matrix: [1.5, 0, 0, 1.5, 12, -4],
      fill: null,
      stroke: 'rgb(100, 116, 139)',
      strokeWidth: 1,
      dash: [],
      opacity: 1,
    },
    {
      kind: 'text',
      x: 20,
      y: 30,
      text: 'node-1 <eth0> & "节点"\u0001',
      family: '"Noto Sans Mono", monospace',
      size: 19.5,
      weight: '700',
      style: 'normal',
      letterSpacing: 0,
      fill: 'rgb(15, 23, 42)',
      opacity: 1,
      clip: { x: 10, y: 10, w: 200, h: 100 },
    },
  ],
}

describe('a picture of the graph as SVG', () => {
  const svg = toSvg(PICTURE)

  it('is a standalone document of the view size, its title escaped', () => {
    expect(svg).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="640" height="400" viewBox="0 0 640 400"/,
    )
    expect(svg).toContain('<title>mode2 · &lt;Cluster&gt; &amp; graph</title>')
  })

  it('keeps labels as text, escaped, with their font, clipped to their box', () => {
    expect(svg).toContain(
      '<text x="20" y="30" dominant-baseline="central" font-family="&quot;Noto Sans Mono&quot;, monospace" font-size="19.5" font-weight="700" fill="rgb(15, 23, 42)" clip-path="url(#c0)" xml:space="preserve">node-1 &lt;eth0&gt; &amp; &quot;节点&quot;</text>',
    )
    expect(svg).toContain(
      '<clipPath id="c0"><rect x="10" y="10" width="200" height="100"/></clipPath>',
    )
  })

  it('draws boxes with their border inside, dashed where CSS dashes them, and links in place', () => {
    expect(svg).toContain(
      '<rect x="10" y="10" width="200" height="100" rx="8" fill="rgb(241, 245, 249)" stroke="rgb(148, 163, 184)" stroke-width="2" opacity="0.5" stroke-dasharray="6 4"/>',
    )
    expect(svg).toContain(
      '<path d="M 0,0 C 10,10 20,20 30,30" transform="matrix(1.5 0 0 1.5 12 -4)" fill="none" stroke="rgb(100, 116, 139)" stroke-width="1"/>',
    )
  })
})
