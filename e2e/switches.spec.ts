import { LESSONS } from '../src/lessons/catalog.ts'
import { traceJson, type Trace } from '../src/model/trace.ts'
import { engineView, lessonFileExists } from './engine.ts'
import { expect, param, seriousA11yViolations, test } from './fixtures.ts'

const byId = (id: string) => {
  const lesson = LESSONS.find((l) => l.id === id)
  if (!lesson) throw new Error(`no lesson ${id} in the catalog`)
  return lesson
}

test.describe('the CNI switch of a Pod-to-Pod lesson', () => {
  const lesson = byId('mode2-flannel-vxlan')

  test('re-traces with host-gw: the encapsulation steps go, the trace is Node’s, the URL says so', async ({
    page,
  }) => {
    const vxlan = engineView(lesson)
    const hostGw = engineView(lesson, { cni: 'flannel-host-gw' })
    const traffic = vxlan.traffic[0]!
    const encapsulations = (t: ReturnType<typeof vxlan.traceOf>) =>
      t.steps.filter((s) => s.action === 'encapsulate').length
    expect(encapsulations(vxlan.traceOf(traffic))).toBeGreaterThan(0)
    expect(encapsulations(hostGw.traceOf(traffic))).toBe(0)

    await page.goto(`/?lesson=${lesson.id}&lang=en`)
    const json = page.getByTestId('trace-json')
    await expect(json).toHaveCount(1)
    const cni = page.getByRole('combobox', { name: 'CNI', exact: true })
    await expect(cni).toHaveValue('flannel-vxlan')
    // The lesson's own choice says so.
    await expect(cni.locator('option:checked')).toHaveText('flannel VXLAN (lesson)')
    await expect(page.locator('.step-list > li.action-encapsulate')).toHaveCount(
      encapsulations(vxlan.traceOf(traffic)),
    )
    await expect(page.getByRole('note')).toHaveCount(0)

    await cni.selectOption({ label: 'flannel host-gw' })
    await expect(cni).toHaveValue('flannel-host-gw')
    await expect.poll(() => json.textContent()).toBe(traceJson(hostGw.traceOf(traffic)))
    await expect(page.locator('.step-list > li')).toHaveCount(hostGw.traceOf(traffic).steps.length)
    await expect(page.locator('.step-list > li.action-encapsulate')).toHaveCount(0)
    await expect(page.getByRole('note')).toContainText('written for flannel VXLAN')
    expect(param(page, 'cni')).toBe('flannel-host-gw')
    expect(await seriousA11yViolations(page)).toEqual([])

    // Calico IPIP: another plugin entirely, and again the engine's own trace.
    await cni.selectOption({ label: 'Calico IPIP' })
    const ipip = engineView(lesson, { cni: 'calico-ipip' })
    await expect.poll(() => json.textContent()).toBe(traceJson(ipip.traceOf(traffic)))
    expect(param(page, 'cni')).toBe('calico-ipip')

    await page.getByRole('button', { name: 'Back to the lesson as written' }).click()
    await expect.poll(() => json.textContent()).toBe(traceJson(vxlan.traceOf(traffic)))
    await expect(page.getByRole('note')).toHaveCount(0)
    expect(param(page, 'cni')).toBe(null)
  })
})

test.describe('the kube-proxy switch of a Service lesson', () => {
  const lesson = byId('mode3-hairpin')

  for (const [mode, tool] of [
    ['ipvs', 'ipvsadm'],
    ['nftables', 'nft'],
  ] as const) {
    test(`${mode}: the tables show ${tool}, and the trace is Node’s`, async ({ page }) => {
      const switched = engineView(lesson, { proxyMode: mode })
      const traffic = switched.traffic[0]!
      await page.goto(`/?lesson=${lesson.id}&lang=en`)
      const json = page.getByTestId('trace-json')
      await expect(json).toHaveCount(1)
      // The tables panel shows the step's tables: pick the first step that reads the tool's.
      const tablesAt = async (pick: (table: string) => boolean, steps: Trace['steps']) => {
        const i = steps.findIndex((st) => st.lookups.some((l) => pick(l.table)))
        expect(i, 'a step that reads the table').toBeGreaterThanOrEqual(0)
        await page.locator('.step-list > li').nth(i).locator('.step-head').click()
        const groups = page.getByTestId('tables-panel').locator('.table-group')
        await expect(groups.first()).toBeVisible()
        return (await groups.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-table')))).join(
          '\n',
        )
      }
      const asWritten = engineView(lesson)
      expect(
        await tablesAt(
          (t) => t.startsWith('iptables -t nat'),
          asWritten.traceOf(asWritten.traffic[0]!).steps,
        ),
      ).toContain('iptables -t nat')

      const proxy = page.getByRole('combobox', { name: 'kube-proxy mode' })
      await expect(proxy).toHaveValue('iptables')
      await proxy.selectOption({ label: mode === 'ipvs' ? 'IPVS' : 'nftables' })
      await expect.poll(() => json.textContent()).toBe(traceJson(switched.traceOf(traffic)))
      const want = tool === 'nft' ? 'nft ip kube-proxy' : 'ipvsadm'
      const steps = switched.traceOf(traffic).steps
      expect(await tablesAt((t) => t.startsWith(want), steps)).toContain(want)
      // No kube-proxy rule in iptables then (flanneld still writes its own there, beside
      // kube-proxy's nftables table: its FLANNEL- chains are walked and shown).
      if (mode === 'nftables')
        expect(
          steps.some((st) =>
            st.lookups.some((l) => l.table.startsWith('iptables') && l.rule.includes('KUBE-')),
          ),
        ).toBe(false)
      expect(param(page, 'proxy')).toBe(mode)
      await expect(page.getByRole('note')).toContainText('written for iptables')
    })
  }

  test('a shared link opens with its switch and graph layer', async ({ page }) => {
    const ipvs = engineView(lesson, { proxyMode: 'ipvs' })
    await page.goto(`/?lesson=${lesson.id}&proxy=ipvs&layer=l3&lang=en`)
    const json = page.getByTestId('trace-json')
    await expect(json).toHaveCount(1)
    expect(await json.textContent()).toBe(traceJson(ipvs.traceOf(ipvs.traffic[0]!)))
    await expect(page.getByRole('combobox', { name: 'kube-proxy mode' })).toHaveValue('ipvs')
    await expect(page.getByRole('button', { name: 'L3: Pods, nodes, tunnels' })).toHaveAttribute(
      'aria-pressed',
      'true',
    )
    expect(param(page, 'proxy')).toBe('ipvs')
    expect(param(page, 'layer')).toBe('l3')
    await page.getByRole('button', { name: 'Everything' }).click()
    await expect.poll(() => param(page, 'layer')).toBe(null)
  })

  test('a switch the lesson does not offer is ignored', async ({ page }) => {
    const asWritten = engineView(lesson)
    await page.goto(`/?lesson=${lesson.id}&cni=calico-bgp&lang=en`)
    const json = page.getByTestId('trace-json')
    await expect(json).toHaveCount(1)
    expect(await json.textContent()).toBe(traceJson(asWritten.traceOf(asWritten.traffic[0]!)))
    await expect(page.getByRole('combobox', { name: 'CNI', exact: true })).toHaveCount(0)
    expect(param(page, 'cni')).toBe(null)
  })
})

test.describe('Cilium, which replaces kube-proxy, on a lesson with both switches', () => {
  const lesson = byId('mode4-nodeport-traffic-policy')

  test('leaves no kube-proxy mode to choose, traces Cilium’s BPF NodePort, and gives the select back after', async ({
    page,
  }) => {
    const cilium = engineView(lesson, { cni: 'cilium' })
    const traffic = cilium.traffic[0]!
    await page.goto(`/?lesson=${lesson.id}&proxy=nftables&lang=en`)
    const json = page.getByTestId('trace-json')
    await expect(json).toHaveCount(1)
    const proxy = page.getByRole('combobox', { name: 'kube-proxy mode' })
    await expect(proxy).toHaveValue('nftables')
    await page.getByRole('combobox', { name: 'CNI', exact: true }).selectOption({
      label: 'Cilium (replacing kube-proxy)',
    })
    await expect.poll(() => json.textContent()).toBe(traceJson(cilium.traceOf(traffic)))
    await expect(proxy).toHaveCount(0)
    await expect(
      page.getByRole('group', { name: 'Try the lesson with another implementation' }),
    ).toContainText('kube-proxy modenone: Cilium replaces it')
    expect(param(page, 'cni')).toBe('cilium')
    expect(param(page, 'proxy')).toBe(null)
    expect(await seriousA11yViolations(page)).toEqual([])

    await page.getByRole('button', { name: 'Back to the lesson as written' }).click()
    await expect(proxy).toHaveValue('iptables')
  })
})

test.describe('the switches in Chinese', () => {
  test('are labelled and explained in Chinese, and pass axe in the dark', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' })
    const lesson = byId('mode3-loadbalancer')
    await page.goto(`/?lesson=${lesson.id}&cni=calico-bgp&proxy=nftables&lang=zh-CN`)
    await expect(page.getByRole('combobox', { name: 'kube-proxy 模式' })).toBeVisible()
    await expect(page.getByRole('note')).toContainText('这节课是按 flannel VXLAN 和 iptables 写的')
    await expect(page.getByRole('button', { name: '回到课程原本的设置' })).toBeVisible()
    await expect(page.getByTestId('trace-json')).toHaveCount(1)
    expect(await seriousA11yViolations(page)).toEqual([])
  })
})

test.describe('the landing map', () => {
  test('reaches every lesson, by keyboard too', async ({ page }) => {
    await page.goto('/?lang=en')
    const map = page.getByRole('region', { name: 'Map of the lessons' })
    for (const l of LESSONS.filter(lessonFileExists))
      await expect(map.getByRole('link', { name: l.title.en, exact: true })).toHaveCount(1)
    const target = byId('mode3-nodeport')
    await map.getByRole('link', { name: target.title.en, exact: true }).focus()
    await page.keyboard.press('Enter')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(target.title.en)
    await expect.poll(() => param(page, 'lesson')).toBe(target.id)
  })

  test('speaks Chinese', async ({ page }) => {
    await page.goto('/?lang=zh-CN')
    const map = page.getByRole('region', { name: '课程地图' })
    await expect(map.getByRole('heading', { name: /Pod 到 Service/ })).toBeVisible()
    await expect(map.getByText('跨节点')).toBeVisible()
  })
})
