import { useTranslation } from 'react-i18next'
import { useBarMenu } from '../bar-menu.ts'
import { ShareIcon } from '../icons.tsx'
import { ExportButtons } from '../export/ExportButton.tsx'
import { EmbedButton } from './EmbedButton.tsx'
import { ShareButton } from './ShareButton.tsx'
import './share.css'

/**
 * The bar's one "Share" button: a menu of what to do with the view on screen (copy its link,
 * copy the iframe that embeds it, export its graph), each saying what it did inside the menu.
 * One button rather than four, so the bar stays one line and the lesson's title keeps its room.
 * Esc or a click outside closes it.
 */
export function ShareMenu() {
  const { t } = useTranslation()
  const { open, setOpen, id, box, toggle, onKeyDown } = useBarMenu()

  return (
    <div className="share-menu" ref={box} onKeyDown={onKeyDown}>
      <button
        ref={toggle}
        type="button"
        className="bar-button share-toggle"
        aria-expanded={open}
        aria-controls={id}
        title={t('share.menu')}
        onClick={() => setOpen(!open)}
      >
        <ShareIcon />
        <span>{t('share.button')}</span>
      </button>
      <div id={id} className="share-panel" role="group" aria-label={t('share.menu')} hidden={!open}>
        {open && (
          <>
            <ShareButton />
            <EmbedButton />
            <ExportButtons />
          </>
        )}
      </div>
    </div>
  )
}
