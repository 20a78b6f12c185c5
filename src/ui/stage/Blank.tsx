import { useTranslation } from 'react-i18next'
import { selectBlank, useAppStore } from '../../app/store.ts'

/** The blanked screen (B or . as a clicker sends them): black, over everything, until B again. */
export function Blank() {
  const { t } = useTranslation()
  const blank = useAppStore(selectBlank)
  return (
    <div className="stage-blank" hidden={!blank} data-testid="blank">
      <p className="visually-hidden" role="status">
        {blank ? t('stage.blanked') : ''}
      </p>
    </div>
  )
}
