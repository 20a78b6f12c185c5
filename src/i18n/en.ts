/** Every UI string in English. zh-CN.ts has the same keys; engine texts bring their own. */
export const en = {
  app: {
    name: 'PodPath',
    tagline: 'How Kubernetes networking really works, one hop at a time',
    skip: 'Skip to the lesson',
    language: 'Language',
  },
  tree: {
    label: 'Lessons',
    root: 'Cluster networking',
    mode: 'Mode {{mode}}',
    later: 'Coming in a later version',
    unavailable: 'Not available yet',
  },
  landing: {
    title: 'Follow a packet through a Kubernetes cluster',
    intro:
      'Each lesson builds a small cluster and follows one request, and its reply, through every container, network device and table it passes. Every step says where the packet is, what happened to it, and which route, ARP entry or rule decided it — printed as the real tool prints it on a node.',
    start: 'Start with the first lesson: {{title}}',
    open: 'Open {{title}}',
    modes: 'The four ways traffic moves in a cluster',
    lessons_one: '{{count}} lesson',
    lessons_other: '{{count}} lessons',
  },
  lesson: {
    section: 'Section {{section}}',
    loading: 'Building the cluster…',
    missing: 'This lesson is not available yet.',
    unknown: 'There is no lesson named “{{id}}”. Choose one from the list.',
    failed: 'The simulator stopped unexpectedly ({{message}}). Reload the page to try again.',
  },
  cluster: {
    label: 'The cluster',
    cni: 'CNI',
    nodes: 'Nodes',
    pods: 'Pods',
    mtu: 'MTU',
    mtuValue: '{{mtu}} on the nodes, {{podMtu}} in Pods',
  },
  diagnostics: {
    heading: 'What Kubernetes would tell you',
    intro:
      'This scenario does not run: it breaks a rule of Kubernetes, and the message below is the lesson. Read it, then find the line it points to in the scenario file.',
    notes: 'Notes on this scenario',
    severity: { error: 'error', warning: 'warning', info: 'note' },
  },
  traffic: {
    label: 'Request to follow',
  },
  connection: {
    label: 'Connection {{n}} of this session',
    next: 'Send it again as a new connection',
    nextHint:
      'The earlier connections stay open, so what the node remembers (IPVS connection counts, session affinity) shows in the next trace.',
    reset: 'Start a new session',
  },
  outcome: {
    label: 'Outcome:',
    delivered: 'Delivered',
    dropped: 'Dropped',
    rejected: 'Rejected',
    'dns-only': 'DNS only',
    error: 'Could not run',
    endpoint: 'reached {{pod}} at {{ip}}:{{port}}',
    endpointNoPod: 'reached {{ip}}:{{port}}',
  },
  steps: {
    heading: 'Step by step',
    count_one: '{{count}} step',
    count_other: '{{count}} steps',
    hint: 'Select a step with the mouse, or with the keys',
    none: 'This request produced no steps.',
    step: 'Step {{index}}',
    lookups: 'Tables consulted',
    noMatch: 'no match',
    folded_one: 'Show {{count}} more rule that did not match',
    folded_other: 'Show {{count}} more rules that did not match',
  },
  phase: { dns: 'DNS', request: 'request', reply: 'reply' },
  where: {
    node: 'node',
    pod: 'Pod',
    container: 'container',
    device: 'device',
    component: 'component',
    hook: 'hook',
  },
  action: {
    send: 'send',
    loopback: 'loopback',
    veth: 'veth pair',
    bridge: 'bridge',
    arp: 'ARP',
    route: 'route',
    encapsulate: 'encapsulate',
    decapsulate: 'decapsulate',
    dnat: 'DNAT',
    snat: 'SNAT',
    masquerade: 'masquerade',
    unnat: 'reverse NAT',
    'lb-select': 'pick a backend',
    'dns-query': 'DNS query',
    'dns-answer': 'DNS answer',
    proxy: 'proxy',
    'tls-terminate': 'TLS termination',
    'l7-route': 'HTTP routing',
    deliver: 'deliver',
    drop: 'drop',
    reject: 'reject',
  },
  trace: {
    json: 'Trace JSON',
  },
  source: {
    title: 'The scenario file:',
    marked: 'marked: a line the message points to',
  },
}

/** The shape both languages share: the English keys, with any string as the value. */
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }
export type Resources = Widen<typeof en>
