/**
 * Whether the Secret a TLS configuration names can serve as a certificate. The Ingress docs
 * ("TLS") and the Gateway API (apis/v1/gateway_types.go, GatewayTLSConfig.CertificateRefs) both
 * want a Secret in the referring object's namespace (for a Gateway, another namespace only with a
 * ReferenceGrant) holding the keys tls.crt and tls.key; a Secret of type kubernetes.io/tls always
 * has both (the API server validates it). Controllers read the keys, not the type:
 * ingress-nginx internal/ingress/controller/store/backend_ssl.go getPemCertificate, Traefik
 * pkg/provider/kubernetes/ingress/kubernetes.go getCertificateBlocks. PodPath does not parse the
 * PEM inside, so a present but broken certificate is not detected.
 */
import type {
  GatewayDecl,
  IngressDecl,
  ListenerDecl,
  ReferenceGrantDecl,
  SecretDecl,
} from '../../model/l7-decls.ts'
import type { Where } from '../../model/diagnostic.ts'
import type { Lookup } from '../../model/trace.ts'
import { text, type Text } from '../../model/text.ts'

export const TLS_KEYS = ['tls.crt', 'tls.key'] as const

export interface SecretCheck {
  secret: SecretDecl | null
  /** Null when the Secret can serve; otherwise what is wrong with it. */
  problem: Text | null
  lookup: Lookup
}

export function checkTlsSecret(
  secrets: SecretDecl[],
  namespace: string,
  name: string,
): SecretCheck {
  const secret = secrets.find((s) => s.namespace === namespace && s.name === name) ?? null
  const table = `Secret ${namespace}/${name}`
  if (!secret) {
    return {
      secret,
      problem: text(
        `Secret ${namespace}/${name} does not exist`,
        `Secret ${namespace}/${name} 不存在`,
      ),
      lookup: {
        table,
        rule: `no Secret "${name}" in namespace "${namespace}"`,
        matched: false,
      },
    }
  }
  const missing = TLS_KEYS.filter((k) => !secret.keys.includes(k))
  const rule = `type: ${secret.type}  data: ${secret.keys.join(', ') || '(none)'}`
  if (missing.length > 0) {
    return {
      secret,
      problem: text(
        `Secret ${namespace}/${name} (type ${secret.type}) has no ${missing.join(' and no ')}`,
        `Secret ${namespace}/${name}（类型 ${secret.type}）缺少 ${missing.join(' 和 ')}`,
      ),
      lookup: { table, rule, matched: false },
    }
  }
  return { secret, problem: null, lookup: { table, rule, matched: true } }
}

/** The certificate a controller presents when it has none for the name (from their sources). */
export const DEFAULT_CERTIFICATE = {
  // ingress-nginx internal/net/ssl/ssl.go: the self-signed certificate it generates at start.
  'ingress-nginx': 'Kubernetes Ingress Controller Fake Certificate',
  // traefik pkg/tls/generate/generate.go DefaultDomain: its generated default certificate.
  traefik: 'TRAEFIK DEFAULT CERT',
  haproxy: null,
} as const

/**
 * A Gateway listener's certificateRefs as the Gateway API spec resolves them
 * (apis/v1/gateway_types.go, ListenerConditionReason): a ref to another namespace needs a
 * ReferenceGrant there from Gateways of this namespace (RefNotPermitted otherwise); a ref that
 * is not a core Secret, a Secret that does not exist or one without tls.crt and tls.key is
 * InvalidCertificateRef. Either way the listener's ResolvedRefs condition is False and the
 * listener is not Programmed (the spec's ListenerConditionProgrammed; Envoy Gateway leaves such
 * a listener out of Envoy's configuration).
 */
export interface ListenerCertStatus {
  ok: boolean
  reason: 'ResolvedRefs' | 'InvalidCertificateRef' | 'RefNotPermitted'
  message: Text
  lookups: Lookup[]
}

export function listenerCertStatus(
  gw: GatewayDecl,
  listener: ListenerDecl,
  secrets: SecretDecl[],
  grants: ReferenceGrantDecl[],
): ListenerCertStatus {
  const refs = listener.tls?.certificateRefs ?? []
  const lookups: Lookup[] = []
  for (const ref of refs) {
    const ns = ref.namespace ?? gw.namespace
    if (ref.kind !== 'Secret') {
      return {
        ok: false,
        reason: 'InvalidCertificateRef',
        message: text(
          `certificateRef ${ref.name} is a ${ref.kind}, not a Secret`,
          `certificateRef “${ref.name}” 的类型是 ${ref.kind}，不是 Secret`,
        ),
        lookups,
      }
    }
    if (ns !== gw.namespace && !secretGranted(grants, gw.namespace, ns, ref.name)) {
      return {
        ok: false,
        reason: 'RefNotPermitted',
        message: text(
          `certificateRef to Secret ${ns}/${ref.name} crosses namespaces, and no ReferenceGrant in namespace "${ns}" allows Gateways from "${gw.namespace}" to refer to it`,
          `certificateRef 指向另一个命名空间的 Secret ${ns}/${ref.name}，而命名空间 “${ns}” 中没有 ReferenceGrant 允许来自 “${gw.namespace}” 的 Gateway 引用它`,
        ),
        lookups,
      }
    }
    const check = checkTlsSecret(secrets, ns, ref.name)
    lookups.push(check.lookup)
    if (check.problem) {
      return {
        ok: false,
        reason: 'InvalidCertificateRef',
        message: check.problem,
        lookups,
      }
    }
  }
  if (listener.tls?.mode === 'Terminate' && refs.length === 0) {
    return {
      ok: false,
      reason: 'InvalidCertificateRef',
      message: text(
        'tls.mode Terminate needs at least one certificateRef',
        'tls.mode 为 Terminate 时至少需要一个 certificateRef',
      ),
      lookups,
    }
  }
  return {
    ok: true,
    reason: 'ResolvedRefs',
    message: text('every certificateRef resolves', '每个 certificateRef 都能解析'),
    lookups,
  }
}

function secretGranted(
  grants: ReferenceGrantDecl[],
  fromNs: string,
  ns: string,
  name: string,
): boolean {
  return grants.some(
    (g) =>
      g.namespace === ns &&
      g.from.some(
        (f) =>
          f.group === 'gateway.networking.k8s.io' && f.kind === 'Gateway' && f.namespace === fromNs,
      ) &&
      g.to.some(
        (t) => t.group === '' && t.kind === 'Secret' && (t.name === null || t.name === name),
      ),
  )
}

/** Build warnings for every Ingress `tls` entry and TLS listener whose certificate cannot load. */
export function tlsDiagnostics(
  ingresses: IngressDecl[],
  gateways: GatewayDecl[],
  secrets: SecretDecl[],
  grants: ReferenceGrantDecl[],
): { where: Where; message: Text }[] {
  const out: { where: Where; message: Text }[] = []
  for (const ing of ingresses) {
    for (const t of ing.tls) {
      if (!t.secretName) continue
      const check = checkTlsSecret(secrets, ing.namespace, t.secretName)
      if (!check.problem) continue
      out.push({
        where: t.where,
        message: text(
          `Ingress ${ing.namespace}/${ing.name}: ${check.problem.en}, so its controller cannot load the certificate for ${t.hosts.join(', ') || 'these hosts'} and presents its default certificate (ingress-nginx: "${DEFAULT_CERTIFICATE['ingress-nginx']}"); clients will not trust it. The Secret must be in the Ingress's namespace with tls.crt and tls.key (type kubernetes.io/tls).`,
          `Ingress ${ing.namespace}/${ing.name}：${check.problem['zh-CN']}，所以它的控制器无法为 ${t.hosts.join('、') || '这些主机'} 加载证书，转而出示默认证书（ingress-nginx 的是 “${DEFAULT_CERTIFICATE['ingress-nginx']}”）；客户端不会信任它。Secret 必须位于 Ingress 所在的命名空间，并含有 tls.crt 和 tls.key（类型 kubernetes.io/tls）。`,
        ),
      })
    }
  }
  for (const gw of gateways) {
    for (const l of gw.listeners) {
      if (!l.tls || l.tls.mode !== 'Terminate') continue
      const st = listenerCertStatus(gw, l, secrets, grants)
      if (st.ok) continue
      out.push({
        where: l.where,
        message: text(
          `Gateway ${gw.namespace}/${gw.name} listener "${l.name}": ResolvedRefs False (${st.reason}): ${st.message.en}; the listener is not Programmed: no client can complete a TLS handshake on it.`,
          `Gateway ${gw.namespace}/${gw.name} 的监听器 “${l.name}”：ResolvedRefs 为 False（${st.reason}）：${st.message['zh-CN']}；该监听器未处于 Programmed 状态：客户端无法在它上面完成 TLS 握手。`,
        ),
      })
    }
  }
  return out
}
