import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { selectPredict, selectView, useAppStore } from '../../app/store.ts'
import { FrameExport } from '../export/ExportButton.tsx'
import { GraphPanel } from '../graph/GraphPanel.tsx'
import { PlaybackControls } from '../playback/PlaybackControls.tsx'
import { PredictPanel } from '../predict/PredictPanel.tsx'
import { SpeakerQuestion } from '../predict/SpeakerQuestion.tsx'
import { Timeline } from '../playback/Timeline.tsx'
import { Blank } from './Blank.tsx'
import { Caption } from './Caption.tsx'
import { Drawer } from './Drawer.tsx'
import { NextStep } from './NextStep.tsx'
import { PointerHighlight } from './PointerHighlight.tsx'
import { PresenterTools } from './PresenterTools.tsx'
import { StageTitle } from './StageTitle.tsx'
import { StepCounter } from './StepCounter.tsx'
import { VIEWS } from './views.ts'

/**
 * The lesson as one stage filling the screen under the bar: the graph as its hero, the caption
 * with it, the drawer (packet, tables) and the controls. The view (views.ts) picks which parts
 * show; stage.css lays them out for the view and the size of the screen.
 */
export function Stage() {
  const { t } = useTranslation()
  const view = useAppStore(selectView)
  const parts = VIEWS[view]
  const predict = useAppStore(selectPredict) && parts.predict !== null
  // The speaker window shows the stage's question while the stage predicts.
  const speakerPredict = useAppStore((s) => view === 'speaker' && s.stagePredict !== null)
  const area = useRef<HTMLElement>(null)
  return (
    <section
      ref={area}
      className={`stage view-${view} theme-${parts.theme}${predict ? ' predicting' : ''}${speakerPredict ? ' speaker-predicting' : ''}`}
      aria-label={t('stage.label')}
      data-view={view}
    >
      {parts.graph && (
        <div className="stage-graph">
          <GraphPanel overlays={parts.chrome} />
        </div>
      )}
      {parts.title && <StageTitle />}
      {parts.tools && <PresenterTools />}
      {/* In a caption band the counter stands in the band itself (Caption.tsx). */}
      {parts.counter && parts.caption !== 'band' && <StepCounter />}
      <Caption />
      {predict && <PredictPanel />}
      {speakerPredict && <SpeakerQuestion />}
      {parts.next && <NextStep />}
      {parts.drawer && <Drawer />}
      {parts.controls && (
        <div className="stage-controls">
          {parts.export ? (
            <div className="stage-controls-row">
              <PlaybackControls />
              <FrameExport />
            </div>
          ) : (
            <PlaybackControls />
          )}
          <Timeline />
        </div>
      )}
      {parts.pointer && <PointerHighlight area={area} />}
      {parts.blanks && <Blank />}
    </section>
  )
}
