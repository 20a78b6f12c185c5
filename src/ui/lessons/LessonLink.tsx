import type { ReactNode } from 'react'
import { openPage } from '../../app/page.ts'
import { openLesson } from '../../app/session.ts'
import { selectLang, useAppStore } from '../../app/store.ts'

/** A real link (it opens in a new tab too) that opens the lesson in place. */
export function LessonLink(props: {
  id: string
  className?: string
  current?: boolean
  children: ReactNode
}) {
  const lang = useAppStore(selectLang)
  return (
    <a
      className={props.className}
      href={`?lesson=${encodeURIComponent(props.id)}&lang=${lang}`}
      aria-current={props.current ? 'page' : undefined}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return
        e.preventDefault()
        openPage(null)
        void openLesson(props.id)
      }}
    >
      {props.children}
    </a>
  )
}
