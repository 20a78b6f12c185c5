import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { inspectTables } from '../../app/session.ts'
import {
  selectInspection,
  selectSelectedTraffic,
  selectStep,
  selectTrace,
  useAppStore,
} from '../../app/store.ts'
import type { InspectLine, InspectTarget } from '../../sim/protocol.ts'
import { CloseIcon } from '../icons.tsx'
import { inspectTarget } from '../graph/inspect-target.ts'

const KIND: Record<string, string> = {
  node: 'node',
  pod: 'pod',
  netns: 'pod',
  ctr: 'container',
  dev: 'device',
  comp: 'component',
}

/** A box's name for its heading: its kind and the last part of its id (`device cni0`). */
function boxName(boxId: string, t: (k: string) => string): string {
  const [kind, ...rest] = boxId.split(':')
  const name = kind === 'ctr' || kind === 'dev' ? rest.at(-1)! : rest.join(':') || boxId
  const where = kind && KIND[kind] ? t(`where.${KIND[kind]}`) : ''
  return where ? `${where} ${name}` : name
}

const targetName = (target: InspectTarget) =>
  'node' in target ? `--node ${target.node}` : `--pod ${target.pod}`

function Line({ line }: { line: InspectLine }) {
  const { t } = useTranslation()
  return (
    <div className={line.used ? `box-line used-${line.used}` : 'box-line'}>
      {line.used && <span className="box-mark">{t(`box.marks.${line.used}`)}</span>}
      <pre>{line.text}</pre>
    </div>
  )
}

/**
 * The box opened from the graph: its node's or Pod's tables as they stand at the current step,
 * as the engine prints them (`podpath tables --node/--pod`), the entries this trace uses marked.
 * A step asks the engine again (src/app/session.ts inspectTables); React computes nothing here.
 */
export function BoxPanel({ boxId }: { boxId: string }) {
  const { t } = useTranslation()
  const step = useAppStore(selectStep)
  const trace = useAppStore(selectTrace)
  const traffic = useAppStore(selectSelectedTraffic)
  const inspection = useAppStore(selectInspection)
  const target = inspectTarget(boxId)
  const key = target ? JSON.stringify(target) : null

  useEffect(() => {
    if (key && trace) void inspectTables(JSON.parse(key) as InspectTarget, step)
  }, [key, step, trace])

  const name = boxName(boxId, t)
  const index = trace?.steps[step]?.index ?? step
  return (
    <section className="panel box-panel" aria-labelledby="box-heading" data-testid="box-panel">
      <div className="box-head">
        <h2 id="box-heading" className="panel-title">
          {t('box.heading')}: <span className="box-name">{name}</span>
        </h2>
        <button
          type="button"
          className="box-close"
          aria-label={t('box.close')}
          title={t('box.close')}
          onClick={() => useAppStore.getState().setInspecting(null)}
        >
          <CloseIcon />
        </button>
      </div>
      {!target ? (
        <p className="panel-note">
          {boxId.startsWith('svc:') ? t('box.service') : t('box.noNamespace', { name })}
        </p>
      ) : inspection?.status === 'failed' ? (
        <p className="panel-note">{t('box.failed', { message: inspection.error })}</p>
      ) : !inspection?.result ? (
        <p className="panel-note" role="status">
          {t('box.loading')}
        </p>
      ) : (
        <>
          <p className="panel-note" aria-live="polite">
            {t('box.asOf', { n: index })}
          </p>
          <p className="panel-note">
            {t('box.cli')}{' '}
            <code className="box-cli">
              podpath tables {targetName(target)} --after {traffic}
            </code>
          </p>
          <ul className="box-legend" aria-hidden="true">
            {(['now', 'before', 'later'] as const).map((u) => (
              <li key={u} className={`used-${u}`}>
                <span className="box-mark">{t(`box.marks.${u}`)}</span>
              </li>
            ))}
          </ul>
          {inspection.result.sections.map((s) => (
            <figure key={s.command} className="box-section" data-command={s.command}>
              <figcaption>
                <code className="box-command">{s.command}</code>
              </figcaption>
              <div className="table-lines" tabIndex={0} role="group" aria-label={s.command}>
                {s.lines.map((l, i) => (
                  <Line key={i} line={l} />
                ))}
              </div>
            </figure>
          ))}
        </>
      )}
    </section>
  )
}
