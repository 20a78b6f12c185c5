import { formatUrl } from '../../app/url.ts'
import { useAppStore } from '../../app/store.ts'

/**
 * Opens presenter mode's speaker window: this app at the same lesson, request and step, in the
 * speaker view (`speaker=1`). src/app/stage-sync.ts keeps the two windows on one step. It
 * does not predict itself: it shows the stage's questions and answers, as the stage tells it.
 */
export function openSpeakerWindow(): void {
  const search = formatUrl({
    ...useAppStore.getState(),
    view: 'speaker',
    blank: false,
    predict: false,
  })
  window.open(
    `${window.location.pathname}${search}`,
    'podpath-speaker',
    'popup,width=1200,height=820',
  )
}
