/**
 * The pages beside the lessons: the glossary, the four modes side by side, and a lesson's
 * printable handout. A page shows in place of the lesson, which stays open behind it, so
 * closing the page returns to the same step. `?page=` in the address names it.
 */
import { APP_PAGES, useAppStore, type AppPage } from './store.ts'

export function parsePage(search: string): AppPage | null {
  const p = new URLSearchParams(search).get('page')
  return APP_PAGES.find((x) => x === p) ?? null
}

export function openPage(page: AppPage | null): void {
  useAppStore.setState({ page })
  if (typeof window !== 'undefined') window.scrollTo(0, 0)
}
