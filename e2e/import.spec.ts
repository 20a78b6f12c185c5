import { loadScenarioSource } from '../src/cli/load.ts'
import { trace } from '../src/sim/trace.ts'
import { TWO_PODS_VXLAN } from './own-scenario.ts'
import { expect, param, seriousA11yViolations, test } from './fixtures.ts'

const VALID = `${TWO_PODS_VXLAN}---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: back}
spec: {from: {pod: default/web}, to: "http://client/"}
`

// Two containers of one Pod listen on the same port.
const BROKEN = `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: broken}
spec: {nodes: [{name: node-1, ip: 192.168.1.11}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: node-1
  containers:
    - {name: a, ports: [{containerPort: 80}]}
    - {name: b, ports: [{containerPort: 80}]}
`

/** What the engine says about a file, computed in Node as the worker computes it in the page. */
function engine(name: string, source: string) {
  const loaded = loadScenarioSource(source, name)
  return {
    diagnostics: loaded.diagnostics,
    steps: (traffic: string) => {
      const t = loaded.scenario!.traffic.find((x) => x.name === traffic)!
      return trace(loaded.cluster!, t, { seed: 1 }).steps.length
    },
  }
}

test.describe("opening one's own scenario", () => {
  test('a chosen file opens like a lesson: its name, graph, steps and requests', async ({
    page,
  }) => {
    await page.goto('/?lang=en')
    await page.getByRole('button', { name: 'Open a scenario' }).click()
    const dialog = page.getByRole('dialog', { name: 'Open your own scenario' })
    await expect(dialog).toBeVisible()
    expect(await seriousA11yViolations(page)).toEqual([])
    await dialog.getByLabel('choose a file').setInputFiles({
      name: 'my-cluster.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from(VALID),
    })
    await expect(dialog).toBeHidden()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('my-cluster.yaml')
    await expect(page).toHaveTitle('my-cluster.yaml · PodPath')
    const e = engine('my-cluster.yaml', VALID)
    await expect(page.locator('.step-list > li')).toHaveCount(e.steps('to-web'))
    await expect(page.getByRole('figure', { name: /Cluster graph/ })).toBeVisible()
    await expect(page.getByTestId('packet')).toBeVisible()
    // The file is in the fragment, never in the query, and the page says so.
    expect(param(page, 'lesson')).toBeNull()
    await expect.poll(() => new URL(page.url()).hash).toMatch(/^#s=[\w-]+$/)
    expect(new URL(page.url()).search).not.toContain('my-cluster')
    await expect(page.getByText(/The address holds the file/)).toBeVisible()

    // Its other request, from the traffic picker.
    await page.getByRole('combobox', { name: 'Request to follow' }).selectOption('back')
    await expect(page.locator('.step-list > li')).toHaveCount(e.steps('back'))
    expect(await seriousA11yViolations(page)).toEqual([])

    // In Chinese too.
    await page.getByRole('button', { name: '中文' }).click()
    await expect(page.getByText('你自己的场景', { exact: true })).toBeVisible()
    await expect(page.getByRole('button', { name: '打开场景' })).toBeVisible()
  })

  test('a broken file shows what is wrong and the line it is on', async ({ page }) => {
    await page.goto('/?lang=en')
    const e = engine('broken.yaml', BROKEN)
    const error = e.diagnostics.find((d) => d.severity === 'error')!
    expect(error.line).toBe(13)
    // From the form on the first screen this time.
    const section = page.getByRole('region', { name: 'Your own cluster' })
    await section.getByLabel('choose a file').setInputFiles({
      name: 'broken.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from(BROKEN),
    })
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('broken.yaml')
    const box = page.getByRole('region', { name: 'What Kubernetes would tell you' })
    await expect(box.getByText(`broken.yaml:${error.line}:${error.col}`)).toBeVisible()
    await expect(box.getByText(error.message.en)).toBeVisible()
    const line = page.locator(`.scenario-source .source-line[data-line="${error.line}"]`)
    await expect(line).toHaveClass(/marked/)
    await expect(line).toBeVisible()
    await expect(page.locator('.step-list')).toHaveCount(0)
  })

  test('a file dropped on the first screen opens', async ({ page }) => {
    await page.goto('/?lang=en')
    const drop = await page.evaluateHandle((text) => {
      const data = new DataTransfer()
      data.items.add(new File([text], 'dropped.yaml', { type: 'application/yaml' }))
      return data
    }, VALID)
    const zone = page.getByRole('region', { name: 'Your own cluster' }).locator('.drop-zone')
    await zone.dispatchEvent('dragover', { dataTransfer: drop })
    await expect(zone).toHaveClass(/over/)
    await zone.dispatchEvent('drop', { dataTransfer: drop })
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('dropped.yaml')
    await expect(page.locator('.step-list > li')).toHaveCount(
      engine('dropped.yaml', VALID).steps('to-web'),
    )
  })

  test('pasted text opens too, and a lesson link closes it', async ({ page }) => {
    await page.goto('/?lang=zh-CN')
    await page.getByRole('button', { name: '打开场景' }).click()
    const dialog = page.getByRole('dialog', { name: '打开你自己的场景' })
    await dialog.getByLabel('或粘贴 YAML 文本').fill(VALID)
    await dialog.getByRole('button', { name: '打开粘贴的文本' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('pasted.yaml')
    await expect(page.locator('.step-list > li')).toHaveCount(
      engine('pasted.yaml', VALID).steps('to-web'),
    )
    await page.getByRole('button', { name: '显示课程列表' }).click()
    await page.getByRole('navigation', { name: '集群网络' }).getByRole('link').first().click()
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('pasted.yaml')
    expect(param(page, 'lesson')).not.toBeNull()
  })
})
