/**
 * Predict mode (issue 12): for one lesson of each mode, the questions the page asks are the
 * quiz computed here in Node from the same lesson file; a learner answers them right and wrong,
 * with the mouse (on the graph's boxes too) and with the keyboard alone, reads why, and sees the
 * score in the bar, after a reload, on the lesson map, and gone after a reset.
 */
import type { Locator, Page } from '@playwright/test'
import { foldAt, foldsFor } from '../src/app/fold.ts'
import type { Question } from '../src/app/quiz/question.ts'
import { buildQuiz, unfoldedQuestions } from '../src/app/quiz/quiz.ts'
import { LESSONS } from '../src/lessons/catalog.ts'
import type { Trace } from '../src/model/trace.ts'
import { summarize } from '../src/sim/summary.ts'
import { engineView } from './engine.ts'
import { TWO_PODS_VXLAN } from './own-scenario.ts'
import { expect, param, seriousA11yViolations, test } from './fixtures.ts'

const LETTERS = ['A', 'B', 'C', 'D']

interface Case {
  id: string
  trace: Trace
  asked: Question[]
}

/** The questions the page must ask, as src/app/predict.ts picks them (none inside a fold). */
function quizOf(id: string): Case {
  const lesson = LESSONS.find((l) => l.id === id)!
  const view = engineView(lesson)
  const trace = view.traceOf(view.traffic[0]!)
  const quiz = buildQuiz(trace, summarize(view.cluster!), { seed: trace.seed })
  const folds = foldsFor(lesson, trace.steps)
  return { id, trace, asked: unfoldedQuestions(quiz, (p) => foldAt(folds, p) !== null) }
}

// One lesson of each of the four modes; the third folds its DNS lookup, the fourth its first one.
const CASES = [
  'mode1-localhost',
  'mode2-flannel-vxlan',
  'mode3-clusterip-iptables',
  'mode4-ingress-nginx',
].map(quizOf)

const right = (q: Question) => q.choices.find((c) => c.id === q.answer)!
const wrong = (q: Question) => q.choices.find((c) => c.id !== q.answer)!
const group = (page: Page, q: Question, lang: 'en' | 'zh-CN' = 'en') =>
  page.getByRole('group', { name: q.prompt[lang], exact: true })
const choice = (g: Locator, label: string) => g.getByRole('button', { name: label, exact: true })
const score = (page: Page) => page.getByTestId('predict-score')

/**
 * Tabs from the question's group to one of its choices, as a keyboard user does. A "which
 * rule?" question answered in the drawer whose lines do not have the focus yet (it came with
 * an answer shown above it) is reached first by its "Go to the lines" button, the next stop.
 */
async function tabTo(page: Page, q: Question, id: string): Promise<void> {
  const index = q.choices.findIndex((c) => c.id === id)
  const lines = page.locator('#predict-lines')
  if (q.kind === 'rule' && (await lines.count()) > 0 && !(await isFocused(lines))) {
    await page.keyboard.press('Tab')
    await expect(page.locator('.predict-to-lines')).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(lines).toBeFocused()
  }
  for (let i = 0; i <= index; i++) await page.keyboard.press('Tab')
  await expect(page.locator(`.predict-choice[data-choice="${id}"]`)).toBeFocused()
}

const isFocused = (l: Locator) => l.evaluate((e) => e === document.activeElement)

test.describe('predict mode', () => {
  test('the generated quiz gives each of the four lessons questions to ask', () => {
    for (const c of CASES) expect(c.asked.length, c.id).toBeGreaterThanOrEqual(5)
  })

  for (const c of CASES) {
    const [q1, q2] = c.asked as [Question, Question]

    test(`${c.id}: by mouse, wrong then right, the score kept after a reload and on the map, then reset`, async ({
      page,
    }) => {
      await page.goto(`/?lesson=${c.id}&step=${q1.step}&predict=1&lang=en`)
      const g1 = group(page, q1)
      await expect(g1).toBeVisible()
      // The question takes the focus when it appears.
      await expect(g1).toBeFocused()
      await choice(g1, wrong(q1).label.en).click()
      // Wrong: it stays, and says why from the next step's own narration and deciding rules.
      const result = page.getByTestId('predict-result')
      await expect(result).toContainText('Not quite.')
      await expect(result).toContainText(`You said: ${wrong(q1).label.en}`)
      await expect(result).toContainText(c.trace.steps[q1.reveals]!.explain.en)
      for (const r of q1.why.rules) await expect(result).toContainText(r.rule)
      await expect(result).toBeFocused()
      await expect(page.getByRole('status').filter({ hasText: 'Not quite.' })).toBeAttached()
      expect(param(page, 'step')).toBe(String(q1.step))
      await expect(score(page)).toContainText('Score 0/1')
      await expect(score(page)).toContainText(
        `0 right of 1 answered; this request asks ${c.asked.length} questions`,
      )
      // Retrying is not possible, the right answer is marked; the learner goes on.
      await expect(choice(g1, right(q1).label.en)).toBeDisabled()
      await page.getByRole('button', { name: 'Show the next step' }).click()
      await expect.poll(() => param(page, 'step')).toBe(String(q1.reveals))

      // On to the next question with the step buttons, then the right answer.
      for (let p = q1.reveals; p < q2.step; p++)
        await page
          .getByRole('toolbar', { name: 'Playback' })
          .getByRole('button', { name: 'Next step' })
          .click()
      const g2 = group(page, q2)
      await expect(g2).toBeVisible()
      if (q2.kind === 'where') {
        // "Where next?" is answered on the graph: its choices are lettered boxes.
        const letter = LETTERS[q2.choices.indexOf(right(q2))]!
        const box = page.locator('.react-flow__node').filter({
          has: page.locator(`.g-box.is-choice .g-choice-letter`, { hasText: letter }),
        })
        await expect(box).toHaveCount(1)
        await box.click()
      } else await choice(g2, right(q2).label.en).click()
      await expect(result).toContainText('Right.')
      await expect(result).toBeFocused()
      await expect.poll(() => param(page, 'step')).toBe(String(q2.reveals))
      await expect(score(page)).toContainText('Score 1/2')

      // The score is the browser's: a reload keeps it.
      await page.reload()
      await expect(score(page)).toContainText('Score 1/2')
      expect(param(page, 'predict')).toBe('1')

      // The lesson map shows the progress, named for a reader.
      await page.getByRole('link', { name: 'PodPath' }).click()
      const meter = page.getByRole('meter', {
        name: `Predict: 1 of ${c.asked.length} questions right (2 answered)`,
      })
      await expect(meter.first()).toBeVisible()
      await expect(page.locator('.landing .score-meter')).toContainText(`1/${c.asked.length}`)

      // Reset: the score goes, from the bar and the map, and the question is asked again.
      await page.goto(`/?lesson=${c.id}&step=${q1.step}&predict=1&lang=en`)
      await expect(score(page)).toContainText('Score 1/2')
      await page.getByRole('button', { name: 'Reset the score' }).click()
      await expect(score(page)).toContainText('Score 0/0')
      await expect(choice(group(page, q1), right(q1).label.en)).toBeEnabled()
      await page.getByRole('link', { name: 'PodPath' }).click()
      await expect(page.locator('.landing-map')).toBeVisible()
      await expect(page.getByRole('meter')).toHaveCount(0)
    })

    test(`${c.id}: by keyboard alone, right, shown with Next, and wrong`, async ({ page }) => {
      const q3 = c.asked[2]!
      await page.goto(`/?lesson=${c.id}&step=${q1.step}&predict=1&lang=zh-CN`)
      const g1 = group(page, q1, 'zh-CN')
      await expect(g1).toBeFocused()
      await tabTo(page, q1, q1.answer)
      await page.keyboard.press('Enter')
      const result = page.getByTestId('predict-result')
      await expect(result).toContainText('答对了。')
      await expect(result).toBeFocused()
      await expect.poll(() => param(page, 'step')).toBe(String(q1.reveals))
      await expect(score(page)).toContainText('得分 1/1')

      // Next with a question open: "show me", counted as not answered, never silent.
      for (let p = q1.reveals; p < q2.step; p++) await page.keyboard.press('ArrowRight')
      await expect(group(page, q2, 'zh-CN')).toBeVisible()
      await page.keyboard.press('PageDown')
      await expect.poll(() => param(page, 'step')).toBe(String(q2.reveals))
      await expect(result).toContainText('未作答：这是下一步。')
      await expect(result).toContainText(right(q2).label['zh-CN'])
      await expect(score(page)).toContainText('得分 1/1')

      // Then a wrong answer, pressed with Space on a choice reached with Tab.
      for (let p = q2.reveals; p < q3.step; p++) await page.keyboard.press('ArrowRight')
      const g3 = group(page, q3, 'zh-CN')
      await expect(g3).toBeVisible()
      // A question that comes with the answer just shown waits under it; the focus is on the answer.
      await expect(q3.step === q2.reveals ? result : g3).toBeFocused()
      await tabTo(page, q3, wrong(q3).id)
      await page.keyboard.press(' ')
      await expect(result).toContainText('不对。')
      await expect(result).toContainText(c.trace.steps[q3.reveals]!.explain['zh-CN'])
      await expect(result).toBeFocused()
      expect(param(page, 'step')).toBe(String(q3.step))
      await expect(score(page)).toContainText('得分 1/2')
      // The step keys still go on from the explanation.
      await page.keyboard.press('ArrowRight')
      await expect.poll(() => param(page, 'step')).toBe(String(q3.reveals))
    })
  }

  test('play stops at a question, and the help lists what Next does while one is open', async ({
    page,
  }) => {
    // The Ingress lesson folds its first DNS lookup (0-1): Play goes from the fold to step 2.
    const c = CASES[3]!
    const q = c.asked[0]!
    expect(c.asked.some((x) => x.step === 0)).toBe(false)
    await page.goto(`/?lesson=${c.id}&step=0&predict=1&lang=en`)
    await expect(page.getByTestId('predict')).toBeVisible()
    await page.keyboard.press('p')
    await expect(group(page, q)).toBeVisible()
    await expect(page.getByTestId('play')).toHaveAttribute('data-playing', 'false')
    expect(param(page, 'step')).toBe(String(q.step))
    await page.keyboard.press('?')
    await expect(page.getByRole('dialog')).toContainText(
      'With a question open: show the answer and the step (counted as not answered)',
    )
  })

  test('the Predict button turns it on and off, and works on an imported scenario', async ({
    page,
  }) => {
    await page.goto('/?lesson=mode2-flannel-vxlan&lang=en')
    const button = page.getByRole('button', { name: 'Predict', exact: true })
    await button.click()
    await expect(button).toHaveAttribute('aria-pressed', 'true')
    expect(param(page, 'predict')).toBe('1')
    await expect(page.getByTestId('predict')).toBeVisible()
    await button.click()
    await expect(page.getByTestId('predict')).toHaveCount(0)
    expect(param(page, 'predict')).toBeNull()

    await page.getByRole('button', { name: 'Open a scenario' }).click()
    const dialog = page.getByRole('dialog', { name: 'Open your own scenario' })
    await dialog.getByLabel('Or paste the YAML').fill(TWO_PODS_VXLAN)
    await dialog.getByRole('button', { name: 'Open the pasted text' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('pasted.yaml')
    await page.getByRole('button', { name: 'Predict', exact: true }).click()
    expect(param(page, 'predict')).toBe('1')
    const q = page.locator('.predict-question')
    await expect(q).toBeVisible()
    await q.locator('.predict-choice').first().click()
    await expect(page.getByTestId('predict-result')).toBeVisible()
    await expect(score(page)).toContainText(/Score [01]\/1/)
  })

  for (const lang of ['en', 'zh-CN'] as const) {
    for (const [view, query, size] of [
      ['explore', '', { width: 1280, height: 800 }],
      ['a phone', '', { width: 390, height: 844 }],
      ['presenter mode', '&present=1', { width: 1920, height: 1080 }],
    ] as const) {
      test(`a question open in ${view} passes axe and fits, ${lang}`, async ({ page }) => {
        // Two whole-page scans: on a loaded two-core machine each takes a good part of a minute.
        test.slow()
        const c = CASES[3]!
        const q = c.asked.find((x) => x.kind === 'rule')!
        await page.setViewportSize(size)
        await page.goto(`/?lesson=${c.id}&step=${q.step}&predict=1${query}&lang=${lang}`)
        await expect(group(page, q, lang)).toBeVisible()
        await expect(page.getByTestId('packet')).toBeVisible()
        expect(await seriousA11yViolations(page)).toEqual([])
        // No horizontal page scroll; the question's choices are on the screen.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          size.width,
        )
        const box = (await group(page, q, lang).boundingBox())!
        expect(box.x).toBeGreaterThanOrEqual(0)
        expect(box.x + box.width).toBeLessThanOrEqual(size.width)
        if (view === 'presenter mode') {
          // Large for a class: the choices at 24 px or more.
          const px = await page
            .locator('.predict-choice')
            .first()
            .evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
          expect(px).toBeGreaterThanOrEqual(24)
        }
        // And with a wrong answer's explanation open.
        await choice(group(page, q, lang), wrong(q).label[lang]).click()
        await expect(page.getByTestId('predict-result')).toBeVisible()
        expect(await seriousA11yViolations(page)).toEqual([])
      })
    }
  }
})

test.describe('"which rule matches?" answered in the tables drawer', () => {
  // The Ingress lesson asks it twice early on: which KUBE-SERVICES line, then which route.
  const c = CASES[3]!
  const [r1, r2] = c.asked.filter((q) => q.kind === 'rule') as [Question, Question]
  const drawer = (page: Page) => page.locator('#drawer-body')
  const panel = (page: Page) => page.getByTestId('predict')

  test('the table the next step reads, in the drawer: its lines are the choices; by mouse, wrong then right', async ({
    page,
  }) => {
    await page.goto(`/?lesson=${c.id}&step=${r1.step}&predict=1&lang=en`)
    const g = drawer(page).getByRole('group', { name: r1.prompt.en, exact: true })
    await expect(g).toBeVisible()
    await expect(g).toBeFocused()
    // One group named by the question, the drawer's; the question box points there.
    await expect(group(page, r1)).toHaveCount(1)
    await expect(panel(page).locator('.predict-choice')).toHaveCount(0)
    await expect(panel(page)).toContainText(r1.prompt.en)
    await expect(panel(page)).toContainText('Pick the line in the tables drawer.')
    // Each line a button named by its text as the tool prints it, none marked before the answer.
    await expect(g.getByRole('button')).toHaveCount(r1.choices.length)
    for (const ch of r1.choices) await expect(choice(g, ch.label.en)).toBeEnabled()
    await expect(g.locator('.is-right')).toHaveCount(0)
    const table = (right(r1).value as { table: string }).table
    const chain = table.split(' ').at(-1)!
    const caption = drawer(page).locator('.predict-lines-group figcaption')
    await expect(caption).toContainText(`iptables -t nat -S ${chain}`)
    const node = c.trace.steps[r1.reveals]!.at.node!
    await expect(caption).toContainText(`on node ${node}`)

    await choice(g, wrong(r1).label.en).click()
    const result = page.getByTestId('predict-result')
    await expect(result).toContainText('Not quite.')
    await expect(result).toContainText(c.trace.steps[r1.reveals]!.explain.en)
    await expect(result).toBeFocused()
    expect(param(page, 'step')).toBe(String(r1.step))
    // The lines stay, the right one marked, the pick marked wrong, none to pick again.
    await expect(choice(g, right(r1).label.en)).toHaveClass(/is-right/)
    await expect(choice(g, wrong(r1).label.en)).toHaveClass(/is-wrong/)
    await expect(choice(g, right(r1).label.en)).toBeDisabled()
    await expect(score(page)).toContainText('Score 0/1')

    await page.goto(`/?lesson=${c.id}&step=${r2.step}&predict=1&lang=en`)
    const g2 = drawer(page).getByRole('group', { name: r2.prompt.en, exact: true })
    await choice(g2, right(r2).label.en).click()
    await expect(result).toContainText('Right.')
    await expect.poll(() => param(page, 'step')).toBe(String(r2.reveals))
    await expect(score(page)).toContainText('Score 1/2')
    // The question is gone with its step: the drawer shows the step's own tables again.
    await expect(drawer(page).locator('.predict-lines-group')).toHaveCount(0)
  })

  test('by keyboard alone, zh-CN: Tab to a line, Enter answers it; Space a wrong one', async ({
    page,
  }) => {
    await page.goto(`/?lesson=${c.id}&step=${r1.step}&predict=1&lang=zh-CN`)
    const g = drawer(page).getByRole('group', { name: r1.prompt['zh-CN'], exact: true })
    await expect(g).toBeFocused()
    await expect(drawer(page).locator('.predict-lines-group figcaption')).toContainText(
      '选出匹配的那一行',
    )
    await tabTo(page, r1, r1.answer)
    await page.keyboard.press('Enter')
    const result = page.getByTestId('predict-result')
    await expect(result).toContainText('答对了。')
    await expect.poll(() => param(page, 'step')).toBe(String(r1.reveals))

    await page.goto(`/?lesson=${c.id}&step=${r2.step}&predict=1&lang=zh-CN`)
    const g2 = drawer(page).getByRole('group', { name: r2.prompt['zh-CN'], exact: true })
    await expect(g2).toBeFocused()
    await tabTo(page, r2, wrong(r2).id)
    await page.keyboard.press(' ')
    await expect(result).toContainText('不对。')
    await expect(result).toContainText(c.trace.steps[r2.reveals]!.explain['zh-CN'])
    expect(param(page, 'step')).toBe(String(r2.step))
    await expect(choice(g2, right(r2).label['zh-CN'])).toHaveClass(/is-right/)
  })

  test('with the drawer closed, and on a phone, the question keeps its own list of lines', async ({
    page,
  }) => {
    await page.goto(`/?lesson=${c.id}&step=${r1.step}&predict=1&lang=en`)
    await expect(drawer(page).getByRole('group', { name: r1.prompt.en })).toBeFocused()
    await page.keyboard.press('i')
    await expect(drawer(page)).toBeHidden()
    const g = panel(page).getByRole('group', { name: r1.prompt.en, exact: true })
    await expect(g.getByRole('button')).toHaveCount(r1.choices.length)
    await choice(g, right(r1).label.en).click()
    await expect(page.getByTestId('predict-result')).toContainText('Right.')

    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`/?lesson=${c.id}&step=${r2.step}&predict=1&lang=en`)
    const g2 = panel(page).getByRole('group', { name: r2.prompt.en, exact: true })
    await expect(g2.getByRole('button')).toHaveCount(r2.choices.length)
    await expect(page.locator('.predict-lines-group')).toHaveCount(0)
  })
})

test.describe('presenter mode: the speaker window shows the class’s question', () => {
  const c = CASES[3]!
  const q = c.asked.find((x) => x.kind === 'rule')!
  const q2 = c.asked[c.asked.indexOf(q) + 1]!
  const RIGHT = { en: 'Right.', 'zh-CN': '答对了。' }
  const WAITING = { en: 'Waiting for the class', 'zh-CN': '等待全班' }

  for (const lang of ['en', 'zh-CN'] as const) {
    test(`the open question and its choices, then the right answer and why, in step with the stage, ${lang}`, async ({
      page,
      context,
    }) => {
      test.slow()
      await page.goto(`/?lesson=${c.id}&step=${q.step}&predict=1&present=1&lang=${lang}`)
      await expect(group(page, q, lang)).toBeVisible()
      // The speaker window opens at a step of its own and is brought to the stage's.
      const speaker = await context.newPage()
      await speaker.goto(`/?lesson=${c.id}&step=0&speaker=1&lang=${lang}`)
      const sq = speaker.getByTestId('speaker-predict')
      await expect(sq.locator(`[data-question="${q.id}"]`)).toBeVisible()
      await expect(sq).toContainText(q.prompt[lang])
      for (const [i, ch] of q.choices.entries()) {
        const line = sq.locator(`li[data-choice="${ch.id}"]`)
        await expect(line).toContainText(ch.label[lang])
        await expect(line.locator('.predict-letter')).toHaveText(LETTERS[i]!)
      }
      // Not answered yet: nothing marked, no why.
      await expect(sq.locator('.is-right, .is-wrong')).toHaveCount(0)
      await expect(sq).toContainText(WAITING[lang])
      await expect(sq).not.toContainText(c.trace.steps[q.reveals]!.explain[lang])
      // The speaker window itself asks nothing: no choice to press there.
      await expect(speaker.locator('.predict-choice')).toHaveCount(0)

      // A wrong answer on the stage: the speaker sees the right one, the class's, and why.
      await choice(group(page, q, lang), wrong(q).label[lang]).click()
      await expect(sq.locator(`li[data-choice="${q.answer}"]`)).toHaveClass(/is-right/)
      await expect(sq.locator(`li[data-choice="${wrong(q).id}"]`)).toHaveClass(/is-wrong/)
      await expect(sq).toContainText(c.trace.steps[q.reveals]!.explain[lang])
      for (const r of q.why.rules) await expect(sq).toContainText(r.rule)
      expect(await seriousA11yViolations(speaker)).toEqual([])

      // The stage goes on to the next question; the speaker window with it.
      await page.locator('.predict-go-on').click()
      for (let p = q.reveals; p < q2.step; p++) await page.keyboard.press('PageDown')
      await expect(group(page, q2, lang)).toBeVisible()
      await expect(sq.locator(`[data-question="${q2.id}"]`)).toBeVisible()
      await expect.poll(() => param(speaker, 'step')).toBe(String(q2.step))
      await expect(sq.locator('.is-right, .is-wrong')).toHaveCount(0)

      // A right answer moves both on; the speaker window says so, with why.
      await choice(group(page, q2, lang), right(q2).label[lang]).click()
      await expect.poll(() => param(speaker, 'step')).toBe(String(q2.reveals))
      const result = sq.locator('.speaker-predict-result')
      await expect(result).toContainText(RIGHT[lang])
      await expect(result).toContainText(right(q2).label[lang])
      await expect(result).toContainText(c.trace.steps[q2.reveals]!.explain[lang])
    })
  }
})
