import { expect, test } from './fixtures.ts'

/** Pastes `text` into the header's "Open a scenario" dialog and opens it. */
async function paste(page: import('@playwright/test').Page, text: string) {
  await page.getByRole('button', { name: /Open a scenario|打开场景/ }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByRole('textbox').fill(text)
  await dialog.getByRole('button', { name: /Open the pasted text|打开粘贴的文本/ }).click()
  await expect(dialog).toBeHidden()
}

test.describe('what stops a pasted scenario, headed by its kind and pointing at its line', () => {
  test('an unclosed quote in a five-line paste points inside it, headed as YAML', async ({
    page,
  }) => {
    await page.goto('/?lang=en')
    await paste(page, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "web\nspec: {}\n')
    const box = page.getByRole('region', { name: 'PodPath cannot read this YAML' })
    await expect(box.getByText('pasted.yaml:4:9')).toBeVisible()
    await expect(box.getByText('opens a quoted string that never ends')).toBeVisible()
    await expect(page.locator('.scenario-source .source-line[data-line="4"]')).toHaveClass(/marked/)
  })

  test('a misspelt plugin is one mistake in the file, with a suggestion, in both languages', async ({
    page,
  }) => {
    const file = `apiVersion: podpath.dev/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  cni: {plugin: calicoo, backend: ipip}
`
    await page.goto('/?lang=en')
    await paste(page, file)
    const box = page.getByRole('region', { name: 'Mistakes to fix in the file' })
    await expect(box.getByRole('listitem')).toHaveCount(1)
    await expect(box.getByRole('listitem')).toContainText('did you mean calico?')
    await expect(page.getByText('it breaks a rule of Kubernetes')).toHaveCount(0)
    await page.goto('/?lang=zh-CN')
    await paste(page, file)
    const zh = page.getByRole('region', { name: '文件中需要改正的错误' })
    await expect(zh.getByRole('listitem')).toContainText('是不是想写 calico？')
  })

  test('a Traffic from an unknown Pod is listed with the file’s other errors', async ({ page }) => {
    await page.goto('/?lang=en')
    await paste(
      page,
      `apiVersion: v1
kind: Pod
metadata: {name: web}
spec: {nodeName: node-9, containers: [{name: nginx}]}
---
apiVersion: podpath.dev/v1alpha1
kind: Traffic
metadata: {name: t}
spec: {from: {pod: nosuch}, to: "http://web/"}
`,
    )
    const box = page.getByRole('region', { name: 'Why this scenario does not run' })
    await expect(box.getByRole('listitem')).toHaveCount(2)
    await expect(box.getByRole('listitem').nth(0)).toContainText('pasted.yaml:4:18')
    await expect(box.getByRole('listitem').nth(1)).toContainText('pasted.yaml:9:20')
    await expect(box.getByRole('listitem').nth(1)).toContainText(
      'Pod default/nosuch does not exist',
    )
  })

  test('an empty paste of only "---" is a mistake, not a cluster of defaults', async ({ page }) => {
    await page.goto('/?lang=en')
    await paste(page, '---\n')
    const box = page.getByRole('region', { name: 'Mistakes to fix in the file' })
    await expect(box).toContainText('the file holds no documents')
    await expect(page.locator('.step-list')).toHaveCount(0)
  })
})
