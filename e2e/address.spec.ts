import { expect, param, seriousA11yViolations, test } from './fixtures.ts'

/** The notice of what the page changed of its address: a status region, read once. */
const notice = (page: import('@playwright/test').Page) => page.locator('.address-notice-region')

test.describe('an address the page cannot take as written', () => {
  test('conn=999 shows connection 64 and says so; the address then holds 64', async ({ page }) => {
    await page.goto('/?lesson=mode2-same-node&conn=999&lang=en')
    // 64 connections of one session are traced: longer than one.
    await expect(page.getByTestId('trace-json')).toContainText('"connection": 64', {
      timeout: 30_000,
    })
    await expect(notice(page)).toContainText('The address was changed')
    await expect(notice(page)).toContainText(
      '“conn=999”: a session follows connections 1 to 64, so connection 64 is shown.',
    )
    await expect.poll(() => param(page, 'conn')).toBe('64')
    expect(await seriousA11yViolations(page)).toEqual([])
  })

  test('traffic=nosuch follows the first request and names it', async ({ page }) => {
    await page.goto('/?lesson=mode2-same-node&traffic=nosuch&step=999&lang=en')
    // The stage's bar picks the request with a select.
    const picker = page.getByRole('combobox', { name: 'Request to follow' })
    await expect(picker).toHaveValue('client-to-web')
    await expect(notice(page).getByRole('listitem')).toHaveText([
      '“traffic=nosuch”: this lesson has no such request, so its first one, “client-to-web”, is shown.',
      '“step=999” is past the last step of this request, so its last step is shown.',
    ])
    const last = page.locator('.step-list > li').last()
    await expect(last).toHaveClass(/selected/)
    await expect.poll(() => param(page, 'traffic')).toBe(null)
  })

  test('an unknown lesson shows the map of lessons under the notice, in Chinese too', async ({
    page,
  }) => {
    await page.goto('/?lesson=nosuch&step=2&lang=zh-CN')
    await expect(notice(page)).toContainText('地址已被更改')
    await expect(notice(page).getByRole('listitem')).toHaveText([
      '“lesson=nosuch”：没有这节课，所以显示课程地图。',
      '“step=2” 属于某节课，而当前没有打开课程，所以没有使用它。',
    ])
    await expect(page.getByRole('region', { name: '课程地图' })).toBeVisible()
    await expect.poll(() => page.url()).toMatch(/\/\?lang=zh-CN$/)
    expect(await seriousA11yViolations(page)).toEqual([])
  })

  test('an unknown language and layer are named, and the notice can be dismissed', async ({
    page,
  }) => {
    await page.goto('/?lesson=mode2-same-node&lang=fr&layer=l7&cni=weave')
    await expect(notice(page).getByRole('listitem')).toHaveText([
      '“lang=fr”: PodPath speaks English and Simplified Chinese, so the page is in English.',
      '“cni=weave” is not a CNI choice PodPath has, so the lesson runs as written.',
      '“layer=l7” is not a layer of the graph, so every layer is shown.',
    ])
    await notice(page).getByRole('button', { name: 'Dismiss' }).click()
    await expect(notice(page)).toBeEmpty()
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
  })

  test('an address taken as written says nothing', async ({ page }) => {
    await page.goto('/?lesson=mode2-same-node&step=2&lang=en')
    await expect(page.locator('.step-list > li').nth(2)).toHaveClass(/selected/)
    await expect(notice(page)).toBeEmpty()
  })
})
