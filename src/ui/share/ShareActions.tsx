import { ExportButton } from '../export/ExportButton.tsx'
import { ShareButton } from './ShareButton.tsx'
import './share.css'

/** The header's actions on the view on screen: copy its link, export its graph. */
export function ShareActions() {
  return (
    <div className="share-actions">
      <ShareButton />
      <ExportButton />
    </div>
  )
}
