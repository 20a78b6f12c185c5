import { useTranslation } from 'react-i18next'
import { selectStep, selectTrace, useAppStore } from '../../app/store.ts'
import type { Lookup } from '../../model/trace.ts'
import { CheckIcon } from '../icons.tsx'
import { RuleLines } from '../predict/RuleLines.tsx'
import { FoldedLookups, Rule } from './Lookups.tsx'
import { commandPlace, printCommand } from './table-command.ts'

interface Group {
  table: string
  lookups: Lookup[]
}

/** The step's lookups by table, in the order the tables were first consulted. */
function byTable(lookups: readonly Lookup[]): Group[] {
  const groups = new Map<string, Lookup[]>()
  for (const l of lookups) {
    const g = groups.get(l.table)
    if (g) g.push(l)
    else groups.set(l.table, [l])
  }
  return [...groups].map(([table, ls]) => ({ table, lookups: ls }))
}

function Line({ l }: { l: Lookup }) {
  const { t } = useTranslation()
  return (
    <div className={l.matched ? 'table-line matched' : 'table-line'} data-matched={l.matched}>
      {l.matched && (
        <span className="match-mark">
          <CheckIcon />
          {t('tables.matched')}
        </span>
      )}
      {l.outer && (
        <span className="outer-mark" title={t('tables.outerTitle')}>
          {t('tables.outer')}
        </span>
      )}
      <pre>
        <Rule text={l.rule} />
      </pre>
    </div>
  )
}

function TableGroup({ group }: { group: Group }) {
  const { t } = useTranslation()
  const command = printCommand(group.table)
  const none = !group.lookups.some((l) => l.matched)
  return (
    <figure className="table-group" data-table={group.table}>
      <figcaption>
        {command !== group.table && <code className="table-name">{group.table}</code>}
        {command ? (
          <span className="table-command">
            <span className="table-command-label">
              {t(
                commandPlace(group.table) === 'cilium-agent'
                  ? 'tables.commandAgent'
                  : 'tables.command',
              )}
            </span>
            <code>{command}</code>
          </span>
        ) : (
          <span className="table-command-label">{t('tables.noCommand')}</span>
        )}
        {none && <span className="no-match">{t('tables.noneMatched')}</span>}
      </figcaption>
      {/* One line per rule, as the tool prints it: the lines scroll sideways together. */}
      <div className="table-lines" tabIndex={0} role="group" aria-label={group.table}>
        <FoldedLookups lookups={group.lookups} row={(l, i) => <Line key={i} l={l} />} />
      </div>
    </figure>
  )
}

/** The tables the current step consulted, each with the line that decided it marked. */
export function TablesPanel() {
  const { t } = useTranslation()
  const trace = useAppStore(selectTrace)
  const pos = useAppStore(selectStep)
  const step = trace?.steps[pos]
  if (!step) return null
  const groups = byTable(step.lookups)
  return (
    <section
      className="panel tables-panel"
      aria-labelledby="tables-heading"
      data-testid="tables-panel"
    >
      <h2 id="tables-heading" className="panel-title">
        {t('tables.heading')}
      </h2>
      {/* Predicting "which rule?": the next step's table, to pick the line in. */}
      <RuleLines />
      {groups.length === 0 ? (
        <p className="panel-empty">{t('tables.none')}</p>
      ) : (
        // Keyed by step: a fold opened at one step is closed again at the next.
        groups.map((g) => <TableGroup key={`${pos}:${g.table}`} group={g} />)
      )}
    </section>
  )
}
