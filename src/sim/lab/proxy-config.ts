/**
 * The Ingress controllers' generated configuration, made runnable by the real programs: the
 * nginx server blocks PodPath shows (../l7/ingress-nginx.ts nginxConfLines) inside the frame of
 * ingress-nginx's nginx.tmpl, and the HAProxy frontend rules, map files and backends PodPath
 * shows (../l7/haproxy.ts) inside a haproxy.cfg. What the lab adds, and why:
 * - ingress-nginx picks an endpoint in Lua (balancer_by_lua, round_robin) from the location's
 *   `$proxy_upstream_name`; Debian's nginx has no Lua, so each location gets
 *   `proxy_pass http://$proxy_upstream_name;` and an nginx upstream group of that name holds the
 *   Service's ready endpoints (nginx's own round robin);
 * - the controller's default backend (404) is its internal server on 127.0.0.1:8181 in
 *   nginx.tmpl; HAProxy's default-local-service answers 404 the same way;
 * - TLS: a certificate made by the lab for the host (PodPath keeps the Secret's keys, not its
 *   PEM), and ingress-nginx's redirect of plain HTTP to https (lua_ingress.lua) as a `return 308`;
 * - each program logs every request as a JSON line, so the lab sees which socket accepted it.
 */
import { formatIp } from '../../model/ipv4.ts'
import type { Cluster } from '../cluster.ts'
import {
  haproxyConfig,
  haproxyFrontendLines,
  haproxyMapLine,
  haproxyMapPath,
  HAPROXY_MAPS,
  HAPROXY_MAP_DIR,
} from '../l7/haproxy.ts'
import {
  CATCH_ALL_SERVER,
  DEFAULT_UPSTREAM,
  ingressNginxServers,
  nginxConfLines,
} from '../l7/ingress-nginx.ts'
import { ingressesOf } from '../ingress/controller-listener.ts'
import type { LabServer } from './servers.ts'

export interface ProxyConfig {
  files: { name: string; body: string }[]
  /** Hosts that need a certificate (the lab makes one with openssl). */
  tlsHosts: string[]
  /** Ports that speak TLS. */
  tlsPorts: number[]
}

const SECURE_NAMES = new Set(['https', 'websecure'])

function securePorts(c: Cluster, s: LabServer): number[] {
  const pod = c.pods.find((p) => p.nsId === s.nsId)
  const out: number[] = []
  for (const port of s.ports) {
    const decl = pod?.containers.flatMap((x) => x.ports).find((p) => p.containerPort === port)
    if (decl && (SECURE_NAMES.has(decl.name ?? '') || (!decl.name && port === 443))) out.push(port)
  }
  return out
}

/**
 * The servers of the upstream a name stands for: the Service port's ready endpoints, or with
 * the service-upstream annotation its ClusterIP and port alone, so that kube-proxy picks the Pod
 * (ingress-nginx internal/ingress/controller/controller.go, createUpstreams).
 */
function upstreamServers(c: Cluster, name: string, serviceUpstream: boolean): string[] {
  for (const svc of c.services)
    for (const p of svc.ports) {
      const byNumber = `${svc.namespace}-${svc.name}-${p.port}`
      const byName = p.name ? `${svc.namespace}-${svc.name}-${p.name}` : null
      if (name !== byNumber && name !== byName) continue
      if (serviceUpstream && svc.clusterIP !== null) return [`${formatIp(svc.clusterIP)}:${p.port}`]
      return p.endpoints.filter((e) => e.ready).map((e) => `${formatIp(e.ip)}:${e.port}`)
    }
  return []
}

const SERVICE_UPSTREAM = 'nginx.ingress.kubernetes.io/service-upstream'

export function nginxConfig(c: Cluster, s: LabServer, dir: string, log: string): ProxyConfig {
  const servers = ingressNginxServers(ingressesOf(c, 'ingress-nginx'))
  const tlsPorts = securePorts(c, s)
  const httpPort = s.ports.find((p) => !tlsPorts.includes(p)) ?? 80
  const tlsPort = tlsPorts[0] ?? null
  const upstreams = [...new Set(servers.flatMap((x) => x.locations.map((l) => l.upstream)))]
  const viaClusterIp = new Set(
    servers.flatMap((x) =>
      x.locations
        .filter(
          (l) => (l.source?.ingress ?? l.defaultOf)?.annotations?.[SERVICE_UPSTREAM] === 'true',
        )
        .map((l) => l.upstream),
    ),
  )
  const tlsHosts: string[] = []
  const lines: string[] = []
  for (const line of nginxConfLines(servers, httpPort)) {
    lines.push(`    ${line}`)
    const set = /set \$proxy_upstream_name "([^"]+)";/.exec(line)
    if (set) lines.push('            proxy_pass http://$proxy_upstream_name;')
    const name = /server_name "(.*)" ;/.exec(line)
    if (name && tlsPort !== null) {
      const host = servers.find((x) => line.includes(`"${x.hostname}"`))
      if (host) {
        const file =
          host.hostname === CATCH_ALL_SERVER
            ? 'default'
            : host.hostname.replace(/[^A-Za-z0-9.-]/g, '_')
        if (!tlsHosts.includes(host.hostname)) tlsHosts.push(host.hostname)
        lines.push(
          `        listen ${tlsPort} ssl${host.hostname === CATCH_ALL_SERVER ? ' default_server' : ''};`,
          `        ssl_certificate ${dir}/${file}.crt;`,
          `        ssl_certificate_key ${dir}/${file}.key;`,
        )
        if (host.tlsSecret)
          lines.push('        if ($scheme = http) { return 308 https://$host$request_uri; }')
      }
    }
  }
  const who = s.who.replace(/"/g, '')
  const body = [
    `# ingress-nginx's nginx.conf for ${who}, as PodPath shows it, in a frame Debian's nginx runs.`,
    'daemon off;',
    'master_process off;',
    'worker_processes 1;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log notice;`,
    'events { worker_connections 256; }',
    'http {',
    `    log_format podpath escape=json '{"pod":"${who}","proto":"tcp","local":"$server_addr:$server_port","peer":"$remote_addr:$remote_port","t":$msec,"upstream":"$upstream_addr","status":$status}';`,
    `    access_log ${log} podpath;`,
    `    client_body_temp_path ${dir}/body;`,
    `    proxy_temp_path ${dir}/proxy;`,
    `    fastcgi_temp_path ${dir}/fastcgi;`,
    `    uwsgi_temp_path ${dir}/uwsgi;`,
    `    scgi_temp_path ${dir}/scgi;`,
    // nginx.tmpl: HTTP/1.1 to upstreams with keep-alive, and the X-Forwarded headers it sets.
    '    proxy_http_version 1.1;',
    '    proxy_set_header Connection "";',
    '    proxy_set_header Host $host;',
    '    proxy_set_header X-Real-IP $remote_addr;',
    '    proxy_set_header X-Forwarded-For $remote_addr;',
    '    proxy_set_header X-Forwarded-Host $host;',
    '    proxy_set_header X-Forwarded-Proto $scheme;',
    ...upstreams
      .filter((u) => u !== DEFAULT_UPSTREAM)
      .flatMap((u) => {
        const srv = upstreamServers(c, u, viaClusterIp.has(u))
        // No ready endpoint: ingress-nginx answers 503; an upstream with a server that refuses.
        return [
          `    upstream ${u} {`,
          ...(srv.length ? srv : ['127.0.0.1:1']).map((x) => `        server ${x};`),
          '        keepalive 320;',
          '    }',
        ]
      }),
    `    upstream ${DEFAULT_UPSTREAM} { server 127.0.0.1:8181; }`,
    '    # nginx.tmpl: the default backend, the controller answering 404 itself.',
    '    server { listen 127.0.0.1:8181; access_log off; location / { return 404; } }',
    ...lines,
    '}',
  ].join('\n')
  return { files: [{ name: 'nginx.conf', body }], tlsHosts, tlsPorts }
}

export function haproxyConfigFiles(c: Cluster, s: LabServer, dir: string): ProxyConfig {
  const config = haproxyConfig(
    ingressesOf(c, 'haproxy'),
    (ns, name) => c.services.find((x) => x.namespace === ns && x.name === name) ?? null,
  )
  const tlsPorts = securePorts(c, s)
  const who = s.who.replace(/"/g, '')
  const maps = `${dir}/maps`
  const front = (l: string) => `    ${l.split(HAPROXY_MAP_DIR).join(maps)}`
  const rules = haproxyFrontendLines(config).map(front)
  const backends = config.backends.flatMap((b) => [
    `backend ${b.name}`,
    '    balance roundrobin',
    ...b.servers.map(
      (x) => `    server ${x.name} ${x.address}:${x.port}${x.enabled ? '' : ' disabled'}`,
    ),
  ])
  const body = [
    `# HAProxy's haproxy.cfg for ${who}, as PodPath shows it (frontend rules, maps, backends).`,
    'global',
    '    log stdout format raw local0',
    '    maxconn 256',
    'defaults',
    '    mode http',
    '    log global',
    `    log-format '{"pod":"${who}","proto":"tcp","local":"%fi:%fp","peer":"%ci:%cp","t":%Ts.%ms,"backend":"%b","status":%ST}'`,
    '    timeout connect 5s',
    '    timeout client 30s',
    '    timeout server 30s',
    ...s.ports.flatMap((p) => [
      `frontend ${tlsPorts.includes(p) ? 'https' : 'http'}`,
      `    bind :${p}${tlsPorts.includes(p) ? ` ssl crt ${dir}/default.pem` : ''}`,
      ...rules,
      ...(config.defaultBackend ? [] : ['    default_backend default-local-service']),
    ]),
    ...backends,
    // The controller's own default backend: it answers 404 (pkg/haproxy: default-local-service).
    'backend default-local-service',
    '    http-request return status 404',
  ].join('\n')
  const files = [{ name: 'haproxy.cfg', body }]
  for (const m of HAPROXY_MAPS)
    files.push({
      name: `maps/${haproxyMapPath(m).split('/').pop()!}`,
      body: config.maps[m].map(haproxyMapLine).join('\n'),
    })
  return { files, tlsHosts: tlsPorts.length ? [CATCH_ALL_SERVER] : [], tlsPorts }
}

/** The configuration of one proxy server of the lab, its files relative to `dir`. */
export function labProxyConfig(c: Cluster, s: LabServer, dir: string, log: string): ProxyConfig {
  return s.kind === 'haproxy' ? haproxyConfigFiles(c, s, dir) : nginxConfig(c, s, dir, log)
}
