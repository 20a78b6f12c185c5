import { Fragment } from 'react'
import { useTranslation } from 'react-i18next'
import { selectStep, selectTrace, useAppStore } from '../../app/store.ts'
import type { Packet } from '../../model/trace.ts'
import { compareLayers, rewrites, type ComparedLayer, type Row } from './packet-fields.ts'

/** The name of a field for a learner: `l3.dst` is "destination IP", a header its own name. */
function FieldName({ path }: { path: string }) {
  const { t } = useTranslation()
  const header = /^app\.headers\.(.+)$/.exec(path)
  if (header) return <code>{header[1]}</code>
  const answer = /^app\.answers\.(\d+)$/.exec(path)
  if (answer) return <>{t('inspector.fields.answer', { n: Number(answer[1]) + 1 })}</>
  const key = path.replace(/^outer\./, '').replaceAll('.', '_')
  return <>{t(`inspector.fields.${key}`)}</>
}

/** A layer's caption: which protocol, and for a tunnel its kind and VNI. */
function layerTitle(
  layer: ComparedLayer,
  packets: Packet[],
  t: (k: string, o?: Record<string, unknown>) => string,
): string {
  const outer = packets.find((p) => p.outer)?.outer
  const app = packets.find((p) => p.app)?.app
  const proto = packets.find((p) => p.l3)?.l3?.proto
  switch (layer.id) {
    case 'outer':
      return outer?.vni !== undefined
        ? t('inspector.layers.outerVni', { encap: outer.encap.toUpperCase(), vni: outer.vni })
        : t('inspector.layers.outer', { encap: (outer?.encap ?? '').toUpperCase() })
    case 'l4':
      return t('inspector.layers.l4', { proto: (proto ?? '').toUpperCase() })
    case 'app':
      return t(`inspector.layers.${app?.protocol ?? 'http'}`)
    default:
      return t(`inspector.layers.${layer.id}`)
  }
}

function Value({ value }: { value: string | undefined }) {
  const { t } = useTranslation()
  return value === undefined ? (
    <span className="pkt-absent">{t('inspector.absent')}</span>
  ) : (
    // A MAC or a long name breaks after its separators, not inside a byte; an IPv4 address
    // (15 characters at most) stays whole.
    <code>
      {value.split(value.length > 15 ? /(?<=[:.])/ : /(?<=:)/).map((part, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </code>
  )
}

function FieldRow({ row, side }: { row: Row; side: boolean }) {
  const { t } = useTranslation()
  return (
    <tr data-path={row.path} className={row.changed ? 'pkt-row changed' : 'pkt-row'}>
      <th scope="row">
        <FieldName path={row.path} />
        {row.changed && <span className="changed-mark">{t('inspector.changed')}</span>}
      </th>
      {side && (
        <td className="pkt-in">
          <Value value={row.before} />
        </td>
      )}
      <td className="pkt-now">
        <Value value={row.after} />
      </td>
    </tr>
  )
}

/**
 * Every layer of the packet at the current step, outer headers first. The fields the step
 * changed are marked in words; where a device rewrites the packet, what came in (the previous
 * step's packet) stands beside what goes out.
 */
export function PacketInspector() {
  const { t } = useTranslation()
  const trace = useAppStore(selectTrace)
  const pos = useAppStore(selectStep)
  const step = trace?.steps[pos]
  if (!trace || !step) return null
  const prev = pos > 0 ? trace.steps[pos - 1]! : null
  const side = !!prev && rewrites(step)
  const layers = compareLayers(side ? prev.packet : null, step.packet, step.changed)
  const packets = side ? [step.packet, prev.packet] : [step.packet]
  return (
    <section
      className="panel packet-inspector"
      aria-labelledby="inspector-heading"
      data-testid="packet-inspector"
    >
      <h2 id="inspector-heading" className="panel-title">
        {t('inspector.heading')}
      </h2>
      {side && <p className="panel-note">{t('inspector.rewrite')}</p>}
      {/* The trace compares with the step before; after ARP that step carried the ARP message. */}
      {side && prev.action === 'arp' && <p className="panel-note">{t('inspector.afterArp')}</p>}
      {layers.length === 0 && <p className="panel-empty">{t('inspector.none')}</p>}
      {layers.map((layer) => (
        <table key={layer.id} className="pkt-layer" data-layer={layer.id}>
          <caption>{layerTitle(layer, packets, t)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('inspector.field')}</th>
              {side && <th scope="col">{t('inspector.in')}</th>}
              <th scope="col">{side ? t('inspector.out') : t('inspector.value')}</th>
            </tr>
          </thead>
          <tbody>
            {layer.rows.map((r) => (
              <FieldRow key={r.path} row={r} side={side} />
            ))}
          </tbody>
        </table>
      ))}
    </section>
  )
}
