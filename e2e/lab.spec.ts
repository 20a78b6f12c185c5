import { readFileSync } from 'node:fs'
import { LESSONS } from '../src/lessons/catalog.ts'
import { lessonSource } from '../src/cli/golden.ts'
import { loadScenarioSource } from '../src/cli/load.ts'
import { scenarioLab } from '../src/sim/lab/lab.ts'
import AxeBuilder from '@axe-core/playwright'
import { expect, test } from './fixtures.ts'

/** The lab the command line makes for a lesson: the page must offer the same script. */
function cliLab(id: string, cni?: 'flannel-host-gw') {
  const lesson = LESSONS.find((l) => l.id === id)!
  const l = loadScenarioSource(lessonSource(lesson), lesson.file, cni ? { cni } : undefined)
  const file = `lessons/${cni ? lesson.file.replace(/\.yaml$/, `-${cni}.yaml`) : lesson.file}`
  return scenarioLab(l.cluster!, { traffic: l.scenario!.traffic, seed: 1, source: file })
}

test.describe('running a lesson for real (the lab script)', () => {
  test('says what it needs and does, and downloads the script the command line makes', async ({
    page,
  }) => {
    await page.goto('/?lesson=mode3-clusterip-iptables&lang=en')
    const lab = page.locator('details.lab-download')
    await lab.getByText('Run it for real: this lesson as a lab on your Linux machine').click()
    await expect(lab.getByText(/builds this cluster in network namespaces/)).toBeVisible()
    await expect(lab.getByText(/refuses to start if such a namespace already exists/)).toBeVisible()
    const want = cliLab('mode3-clusterip-iptables')
    await expect(lab.locator('code').first()).toHaveText(
      `sudo apt-get install ${want.packages.join(' ')}`,
    )
    // Each traffic: whether it runs, and on what kernel (this lesson crosses flannel's VXLAN).
    expect(want.traffic.map((t) => t.needs)).toEqual([['vxlan'], ['vxlan']])
    await expect(lab.getByRole('listitem')).toHaveText(
      want.traffic.map((t) => `${t.name}: runs where the kernel has vxlan`),
    )
    const link = lab.getByRole('link', { name: 'Download mode3-clusterip-iptables-lab.sh' })
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    expect(download.suggestedFilename()).toBe('mode3-clusterip-iptables-lab.sh')
    expect(readFileSync((await download.path())!, 'utf8')).toBe(want.script)
    // The panel itself: the whole page is scanned by app.spec.ts.
    const { violations } = await new AxeBuilder({ page }).include('details.lab-download').analyze()
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([])
  })

  test('in Chinese, says which traffic never runs and why, and follows the lesson switch', async ({
    page,
  }) => {
    await page.goto('/?lesson=mode3-userspace&lang=zh-CN')
    const lab = page.locator('details.lab-download')
    await lab.getByText('动手实操：在你自己的 Linux 机器上把这一课做成实验').click()
    await expect(lab.getByText(/它需要 root 权限和以下软件包/)).toBeVisible()
    await expect(lab.getByRole('listitem').first()).toContainText(
      '不会运行：kube-proxy userspace 模式',
    )

    await page.goto('/?lesson=mode2-flannel-vxlan&lang=en&cni=flannel-host-gw')
    await page.locator('details.lab-download summary').click()
    const link = page.getByRole('link', { name: /^Download / })
    await expect(link).toHaveAttribute('download', 'mode2-flannel-vxlan-flannel-host-gw-lab.sh')
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    const script = readFileSync((await download.path())!, 'utf8')
    expect(script).toBe(cliLab('mode2-flannel-vxlan', 'flannel-host-gw').script)
    expect(script).not.toContain('flannel.1')
  })
})
