import { useTranslation } from 'react-i18next'
import type { Location } from '../../model/trace.ts'

const PARTS = ['node', 'pod', 'container', 'device', 'component', 'hook'] as const

/** Where the packet is: node › Pod › container › device, each part labelled. */
export function Where({ at }: { at: Location }) {
  const { t } = useTranslation()
  const parts = PARTS.filter((k) => at[k] !== null)
  return (
    <p className="where">
      {parts.map((k) => (
        <span key={k} className={`where-part where-${k}`}>
          <span className="where-kind">{t(`where.${k}`)}</span>
          <code>{at[k]}</code>
        </span>
      ))}
    </p>
  )
}
