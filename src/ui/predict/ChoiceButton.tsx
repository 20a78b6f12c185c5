import { answerOf, answerQuestion } from '../../app/predict.ts'
import type { Choice, Question } from '../../app/quiz/question.ts'
import { useAppStore } from '../../app/store.ts'
import type { Lang } from '../../model/text.ts'
import { CheckIcon } from '../icons.tsx'

/** Choices are lettered, so a class can answer aloud ("B!"); the letter is not their name. */
export const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F']

const point = (choice: string | null) => useAppStore.setState({ predictPointing: choice })

/**
 * One choice of a question, a button named by its value (the letter is hidden from readers):
 * in the question's list, or a line of the tables drawer (`className` adds its look there).
 * After an answer it is disabled, the right one marked, a wrong pick marked too.
 */
export function ChoiceButton({
  question,
  choice,
  index,
  lang,
  className = '',
}: {
  question: Question
  choice: Choice
  index: number
  lang: Lang
  className?: string
}) {
  const answer = useAppStore((s) => answerOf(s, question))
  const pointing = useAppStore((s) => s.predictPointing)
  const done = answer !== null
  const isRight = done && choice.id === question.answer
  const isPicked = done && choice.id === answer.choice
  return (
    <button
      type="button"
      className={`predict-choice${className ? ` ${className}` : ''}${isRight ? ' is-right' : ''}${isPicked && !isRight ? ' is-wrong' : ''}${pointing === choice.id ? ' is-pointed' : ''}`}
      disabled={done}
      data-choice={choice.id}
      onClick={() => answerQuestion(choice.id)}
      onPointerEnter={() => point(choice.id)}
      onPointerLeave={() => point(null)}
      onFocus={() => point(choice.id)}
      onBlur={() => point(null)}
    >
      <span className="predict-letter" aria-hidden="true">
        {LETTERS[index]}
      </span>
      <span className="predict-choice-text">{choice.label[lang]}</span>
      {isRight && <CheckIcon />}
    </button>
  )
}
