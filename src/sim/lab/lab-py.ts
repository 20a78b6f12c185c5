/**
 * The lab's helper program, in Python 3 (standard library only), written out by the lab script:
 * the servers (serve, dns), the client (client), and the comparison of the kernel's view with
 * PodPath's (check, tables, picked). Kept as text here so that the engine can put it in the
 * script it generates, in Node and in the browser alike.
 */
export const LAB_PY = String.raw`#!/usr/bin/env python3
"""PodPath lab helper: the servers, the client, and the comparison of the kernel's view with
PodPath's trace. Standard library only; the lab script writes this file and runs it."""
import json
import os
import random
import re
import socket
import struct
import sys
import threading
import time

ANY = '*'


def jline(path, rec):
    with open(path, 'a') as f:
        f.write(json.dumps(rec) + '\n')


def addr(a):
    return '%s:%d' % (a[0], a[1])


# ---------------------------------------------------------------- servers

def tcp_conn(pod, log, conn, local, peer):
    jline(log, {'pod': pod, 'proto': 'tcp', 'local': local, 'peer': peer, 't': time.time()})
    data = b''
    try:
        # A client that says nothing within a moment is not speaking HTTP: answer at once.
        conn.settimeout(0.3)
        try:
            while b'\r\n\r\n' not in data and len(data) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
                if not data[:1].isalpha():
                    break
        except socket.timeout:
            pass
        body = ('podpath-lab pod=%s local=%s peer=%s\n' % (pod, local, peer)).encode()
        if re.match(rb'^[A-Z]+ \S+ HTTP/1\.[01]\r\n', data):
            head = ('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n'
                    'X-Podpath-Pod: %s\r\n\r\n' % (len(body), pod)).encode()
            conn.sendall(head + body)
        else:
            conn.sendall(body)
        # Keep the connection open until the client ends it, so that conntrack shows it
        # ESTABLISHED when the lab reads it.
        conn.settimeout(30)
        while conn.recv(4096):
            pass
    except OSError:
        pass
    finally:
        conn.close()


def tcp_server(pod, log, port, tls=None):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', port))
    s.listen(64)
    while True:
        conn, peer = s.accept()
        local = addr(conn.getsockname())
        threading.Thread(target=tls_conn if tls else tcp_conn,
                         args=(pod, log, conn, local, addr(peer)) + ((tls,) if tls else ()),
                         daemon=True).start()


def tls_conn(pod, log, conn, local, peer, ctx):
    # A host on the Internet that speaks TLS (an egress request's https://): the handshake with
    # the lab's own certificate, then the same answer as a plain server.
    try:
        conn.settimeout(5)
        conn = ctx.wrap_socket(conn, server_side=True)
    except OSError:
        jline(log, {'pod': pod, 'proto': 'tcp', 'local': local, 'peer': peer, 't': time.time()})
        conn.close()
        return
    tcp_conn(pod, log, conn, local, peer)


def dns_name(buf, off):
    labels = []
    jumped = False
    end = off
    for _ in range(64):
        n = buf[off]
        if n == 0:
            off += 1
            break
        if n & 0xc0 == 0xc0:
            if not jumped:
                end = off + 2
            off = ((n & 0x3f) << 8) | buf[off + 1]
            jumped = True
            continue
        labels.append(buf[off + 1:off + 1 + n].decode('ascii', 'replace'))
        off += 1 + n
    if not jumped:
        end = off
    return '.'.join(labels) + '.', end


def dns_encode(name):
    out = b''
    for label in name.rstrip('.').split('.'):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b'\x00'


TYPES = {'A': 1, 'CNAME': 5}


def dns_answer(query, records):
    qid, flags = struct.unpack('!HH', query[:4])
    qname, end = dns_name(query, 12)
    question = query[12:end + 4]
    qtype = struct.unpack('!H', query[end:end + 2])[0]
    rec = records.get(qname.lower())
    rcode = 3 if rec is None or rec['status'] == 'NXDOMAIN' else 0
    answers = []
    if rec and qtype == 1:
        lines = list(rec['records'])
        # kubeadm's Corefile has the loadbalance plugin: it shuffles the A records of each answer.
        random.shuffle(lines)
        for line in lines:
            name, ttl, _cls, typ, data = line.split('\t')
            rdata = socket.inet_aton(data) if typ == 'A' else dns_encode(data)
            answers.append(dns_encode(name) + struct.pack('!HHIH', TYPES[typ], 1, int(ttl),
                                                          len(rdata)) + rdata)
    # QR, AA (the kubernetes plugin is authoritative for its zone), RD copied from the query.
    out_flags = 0x8000 | 0x0400 | (flags & 0x0100) | rcode
    head = struct.pack('!HHHHHH', qid, out_flags, 1, len(answers), 0, 0)
    return head + question + b''.join(answers), qname


def cmd_dns(args):
    pod, log, records_file = args[0], args[1], args[2]
    ip = args[3] if len(args) > 3 else '0.0.0.0'
    with open(records_file) as f:
        records = json.load(f)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((ip, 53))
    ready(args)
    while True:
        data, peer = s.recvfrom(4096)
        try:
            reply, qname = dns_answer(data, records)
        except (IndexError, ValueError, struct.error):
            continue
        jline(log, {'pod': pod, 'proto': 'udp', 'local': '%s:53' % local_ip(s, peer),
                    'peer': addr(peer), 'qname': qname, 't': time.time()})
        s.sendto(reply, peer)


def local_ip(s, peer):
    # The address the query was sent to: for a socket bound to 0.0.0.0, the route's source.
    ip = s.getsockname()[0]
    if ip != '0.0.0.0':
        return ip
    t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        t.connect(peer)
        return t.getsockname()[0]
    finally:
        t.close()


def ready(args):
    flag = os.environ.get('PODPATH_READY')
    if flag:
        open(flag, 'w').close()


def cmd_serve(args):
    pod, log = args[0], args[1]
    for spec in args[2:]:
        proto, port = spec.split(':')
        if proto == 'tcp':
            threading.Thread(target=tcp_server, args=(pod, log, int(port)), daemon=True).start()
        if proto == 'tls':
            import ssl
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(os.environ['PODPATH_TLS_CERT'], os.environ['PODPATH_TLS_KEY'])
            threading.Thread(target=tcp_server, args=(pod, log, int(port), ctx),
                             daemon=True).start()
    ready(args)
    while True:
        time.sleep(3600)


# ---------------------------------------------------------------- client

def dns_query(q, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', q['sport']))
    s.settimeout(timeout)
    msg = struct.pack('!HHHHHH', q['id'], 0x0100, 1, 0, 0, 0) + dns_encode(q['qname']) + \
        struct.pack('!HH', 1, 1)
    s.sendto(msg, (q['server'], q['port']))
    try:
        data, peer = s.recvfrom(4096)
    except socket.timeout:
        return {'qname': q['qname'], 'result': 'timeout'}
    finally:
        s.close()
    _qid, flags, _qd, an = struct.unpack('!HHHH', data[:8])
    _q, off = dns_name(data, 12)
    off += 4
    records = []
    for _ in range(an):
        name, off = dns_name(data, off)
        typ, _cls, ttl, rdlen = struct.unpack('!HHIH', data[off:off + 10])
        off += 10
        rdata = data[off:off + rdlen]
        if typ == 1:
            val = socket.inet_ntoa(rdata)
        else:
            val, _ = dns_name(data, off)
        off += rdlen
        records.append('%s\t%d\tIN\t%s\t%s' % (name, ttl, 'A' if typ == 1 else 'CNAME', val))
    return {'qname': q['qname'], 'result': 'answer', 'peer': addr(peer),
            'status': 'NXDOMAIN' if flags & 0xf == 3 else 'NOERROR', 'records': records}


def http_request(r):
    h = r['http']
    lines = ['%s %s HTTP/1.1' % (h['method'], h['path'])]
    headers = dict(h.get('headers') or {})
    headers.setdefault('Host', h['host'])
    for k, v in headers.items():
        lines.append('%s: %s' % (k, v))
    lines.append('User-Agent: podpath-lab')
    return ('\r\n'.join(lines) + '\r\n\r\n').encode()


def read_response(conn):
    data = b''
    while b'\r\n\r\n' not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b'\r\n\r\n')
    lines = head.decode('latin-1').split('\r\n')
    m = re.match(r'HTTP/1\.[01] (\d+)', lines[0]) if lines else None
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(':')
        headers[k.strip().lower()] = v.strip()
    n = int(headers.get('content-length', '0') or 0)
    while len(body) < n:
        chunk = conn.recv(4096)
        if not chunk:
            break
        body += chunk
    return {'status': int(m.group(1)) if m else None, 'headers': headers,
            'body': body.decode('utf-8', 'replace')}


def cmd_client(args):
    spec = json.loads(open(args[0]).read())
    out, release = args[1], args[2]
    res = {'dns': [], 'request': None}
    timeout = spec.get('timeout', 2.0)
    for q in spec.get('dns', []):
        res['dns'].append(dns_query(q, timeout))
    r = spec.get('request')
    conn = None
    if r:
        conn = socket.socket()
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        conn.bind(('0.0.0.0', r['sport']))
        conn.settimeout(timeout)
        rr = {'dst': '%s:%d' % (r['dst'], r['dport'])}
        try:
            conn.connect((r['dst'], r['dport']))
            rr['local'] = addr(conn.getsockname())
            rr['result'] = 'connected'
            if r.get('sni'):
                import ssl
                ctx = ssl.create_default_context()
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                conn = ctx.wrap_socket(conn, server_hostname=r['sni'])
                rr['tls'] = conn.version()
            if r.get('http'):
                conn.sendall(http_request(r))
                rr['response'] = read_response(conn)
            else:
                rr['response'] = {'status': None, 'headers': {},
                                  'body': conn.recv(4096).decode('utf-8', 'replace')}
            rr['result'] = 'answered'
        except ConnectionRefusedError:
            rr['result'] = 'refused'
        except socket.timeout:
            rr['result'] = 'timeout' if rr.get('result') != 'connected' else 'no-answer'
        except OSError as e:
            rr['result'] = 'error: %s' % e.strerror
        res['request'] = rr
    with open(out + '.tmp', 'w') as f:
        json.dump(res, f)
    os.rename(out + '.tmp', out)
    # Hold the connection until the lab has read conntrack, then reset it (no TIME_WAIT, so the
    # next try can use the same source port).
    deadline = time.time() + 30
    while not os.path.exists(release) and time.time() < deadline:
        time.sleep(0.01)
    if conn is not None:
        try:
            raw = conn.unwrap() if hasattr(conn, 'unwrap') else conn
        except (OSError, ValueError):
            raw = conn
        try:
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        except OSError:
            pass
        raw.close()


# ---------------------------------------------------------------- captures

def ip4(b):
    return socket.inet_ntoa(bytes(b))


def mac(b):
    return ':'.join('%02x' % x for x in b)


def decode_ip(p):
    if len(p) < 20:
        return None
    ihl = (p[0] & 0xf) * 4
    proto = p[9]
    d = {'src': ip4(p[12:16]), 'dst': ip4(p[16:20]), 'ttl': p[8],
         'proto': {6: 'tcp', 17: 'udp', 1: 'icmp', 4: 'ipip'}.get(proto, str(proto))}
    l4 = p[ihl:]
    if proto in (6, 17) and len(l4) >= 4:
        d['sport'], d['dport'] = struct.unpack('!HH', l4[:4])
        if proto == 6 and len(l4) >= 14:
            f = l4[13]
            d['flags'] = ''.join(c for c, bit in (('S', 2), ('A', 16), ('F', 1), ('R', 4),
                                                  ('P', 8)) if f & bit)
    d['payload'] = l4
    return d


def decode_frame(b, vxlan_ports):
    if len(b) < 14:
        return None
    eth = {'src': mac(b[6:12]), 'dst': mac(b[0:6])}
    etype = struct.unpack('!H', b[12:14])[0]
    if etype != 0x0800:
        return None
    ip = decode_ip(b[14:])
    if ip is None:
        return None
    f = {'l2': eth, 'outer': None}
    if ip['proto'] == 'udp' and ip.get('dport') in vxlan_ports and len(ip['payload']) >= 16 + 14:
        v = ip['payload'][8:16]
        vni = (v[4] << 16) | (v[5] << 8) | v[6]
        inner = decode_ip(ip['payload'][16 + 14:])
        if inner:
            f['outer'] = {'encap': 'vxlan', 'vni': vni, 'src': ip['src'], 'dst': ip['dst'],
                          'proto': 'udp', 'ttl': ip['ttl'], 'sport': ip['sport'],
                          'dport': ip['dport']}
            ip = inner
    elif ip['proto'] == 'ipip':
        inner = decode_ip(ip['payload'])
        if inner:
            f['outer'] = {'encap': 'ipip', 'vni': None, 'src': ip['src'], 'dst': ip['dst'],
                          'proto': 'ipip', 'ttl': ip['ttl'], 'dport': None}
            ip = inner
    ip.pop('payload', None)
    f['inner'] = ip
    return f


def read_pcap(path, since, vxlan_ports):
    frames = []
    try:
        data = open(path, 'rb').read()
    except OSError:
        return frames
    if len(data) < 24:
        return frames
    magic = struct.unpack('<I', data[:4])[0]
    endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    nano = magic in (0xa1b23c4d, 0x4d3cb2a1)
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _orig = struct.unpack(endian + 'IIII', data[off:off + 16])
        off += 16
        t = sec + frac / (1e9 if nano else 1e6)
        pkt = data[off:off + incl]
        off += incl
        if t < since:
            continue
        f = decode_frame(pkt, vxlan_ports)
        if f:
            f['t'] = t
            frames.append(f)
    return frames


# ---------------------------------------------------------------- netfilter traces

TCP_FLAGS = ('SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE', 'CWR')


def parse_xtables_trace(text):
    """xtables-monitor --trace: a PACKET line, then the TRACE lines of one chain traversal."""
    out = []
    by_id = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith('PACKET:'):
            parts = line.split()
            kv = {}
            flags = []
            for tok in parts[3:]:
                if '=' in tok:
                    k, _, v = tok.partition('=')
                    kv[k] = v
                else:
                    flags.append(tok)
            tcp = [f for f in flags if f in TCP_FLAGS]
            proto = 'tcp' if tcp and 'SPORT' in kv else ('udp' if 'SPORT' in kv else 'other')
            flags = tcp
            cur = {'id': parts[2], 'src': kv.get('SRC'), 'dst': kv.get('DST'), 'proto': proto,
                   'sport': int(kv['SPORT']) if 'SPORT' in kv else None,
                   'dport': int(kv['DPORT']) if 'DPORT' in kv else None,
                   'flags': flags, 'rules': [], 'hooks': []}
            out.append(cur)
            by_id[cur['id']] = cur
        elif line.startswith('TRACE:'):
            m = re.match(r'TRACE: \d+ (\S+) ([^:]+):([^:]+):(\w+):\S*(?:\s+(.*))?$', line)
            # By trace id: a packet's events may come after those of a packet it caused (the
            # ICMP error of a REJECT is traced before the rule that sent it).
            cur = by_id.get(m.group(1)) if m else None
            if cur is None:
                continue
            table, chain, kind, rule = m.group(2), m.group(3), m.group(4), m.group(5) or ''
            cur['hooks'].append('%s:%s' % (table, chain))
            if kind == 'rule':
                rule = re.sub(r'^-4 -t \S+ ', '', rule.strip())
                cur['rules'].append({'table': table, 'chain': chain, 'rule': rule})
    return out


def parse_nft_trace(text):
    """nft monitor trace: one 'packet:' line per chain traversal, then its rule lines."""
    out = []
    by_id = {}
    for line in text.splitlines():
        m = re.match(r'trace id (\S+) (ip \S+) (\S+) (packet|rule|verdict|policy):? ?(.*)$',
                     line.strip())
        if not m:
            continue
        tid, table, chain, kind, rest = m.groups()
        if kind == 'packet':
            g = lambda pat: (re.search(pat, rest) or [None, None])[1]
            proto = 'tcp' if ' tcp sport ' in ' ' + rest else (
                'udp' if ' udp sport ' in ' ' + rest else 'other')
            flags = g(r'tcp flags == ((?:\w+)(?: \| \w+)*)') or ''
            if flags.startswith('0x'):
                bits = int(flags, 16)
                flags = '|'.join(n for n, b in (('fin', 1), ('syn', 2), ('rst', 4), ('psh', 8),
                                                ('ack', 16)) if bits & b)
            cur = {'id': tid, 'src': g(r'ip saddr (\S+)'), 'dst': g(r'ip daddr (\S+)'),
                   'proto': proto,
                   'sport': int(g(r'(?:tcp|udp) sport (\d+)')) if proto != 'other' else None,
                   'dport': int(g(r'(?:tcp|udp) dport (\d+)')) if proto != 'other' else None,
                   'flags': ['SYN' if 'syn' in flags else '', 'ACK' if 'ack' in flags else ''],
                   'rules': [], 'hooks': ['%s:%s' % (table, chain)]}
            out.append(cur)
            by_id[tid] = cur
        elif kind == 'rule' and tid in by_id:
            rule = re.sub(r' \(verdict [^)]*\)$', '', rest.strip())
            by_id[tid]['rules'].append({'table': table, 'chain': chain, 'rule': rule})
    return out


# ---------------------------------------------------------------- comparing

def port_ok(want, got):
    return want == ANY or got == ANY or (got is not None and int(want) == int(got))


def tuple_ok(want, got):
    return (want['proto'] == got.get('proto') and want['src'] == got.get('src')
            and want['dst'] == got.get('dst') and port_ok(want['sport'], got.get('sport'))
            and port_ok(want['dport'], got.get('dport')))


CT = re.compile(r'^(\w+)\s+(\d+)\s+(\d+)\s+(?:([A-Z_]+)\s+)?(.*)$')


def parse_ct(line):
    m = CT.match(line.strip())
    if not m:
        return None
    proto, _num, timeout, state, rest = m.groups()
    tuples = re.findall(r'src=(\S+) dst=(\S+) sport=(\S+) dport=(\S+)', rest)
    if len(tuples) < 2:
        return None
    mk = lambda t: {'proto': proto, 'src': t[0], 'dst': t[1], 'sport': t[2], 'dport': t[3]}
    return {'proto': proto, 'timeout': int(timeout), 'state': state or '',
            'orig': mk(tuples[0]), 'reply': mk(tuples[1]),
            'flags': sorted(re.findall(r'\[(\w+)\]', rest)),
            'mark': (re.search(r'mark=(\S+)', rest) or [None, None])[1],
            'use': (re.search(r'use=(\S+)', rest) or [None, None])[1], 'line': line.strip()}


class Report:
    def __init__(self):
        self.checks = []

    def add(self, kind, what, podpath, kernel, ok, note=''):
        self.checks.append({'kind': kind, 'what': what, 'podpath': podpath, 'kernel': kernel,
                            'ok': bool(ok), 'note': note})


def fmt_peer(p):
    return '%s:%s' % (p['ip'], p['port'])


def hop_label(h):
    """Who a hop's server logs itself as: its Pod, its node, or an egress request's host."""
    return h['pod'] or ('node %s' % h['node'] if h['node'] else 'the Internet host')


def serve_logs(serve, since):
    logs = []
    for name in sorted(os.listdir(serve)):
        for line in open(os.path.join(serve, name)):
            try:
                x = json.loads(line)
            except ValueError:
                continue
            if x.get('t', 0) >= since:
                logs.append(x)
    return logs


def check(exp, d, serve):
    rep = Report()
    client = json.load(open(os.path.join(d, 'client.json')))
    since = float(open(os.path.join(d, 'since')).read())
    logs = serve_logs(serve, since)

    # DNS answers, and which CoreDNS answered.
    for q, got in zip(exp['client']['dns'], client['dns']):
        # In any order: CoreDNS's loadbalance plugin shuffles the records of every answer.
        want = '%s %s' % (q['status'], ' | '.join(sorted(q['records'])) or '(no records)')
        have = 'no answer' if got['result'] != 'answer' else '%s %s' % (
            got['status'], ' | '.join(sorted(got['records'])) or '(no records)')
        rep.add('dns', 'answer to %s' % q['qname'], want, have, want == have,
                'records in any order' if len(q['records']) > 1 else '')
    # The outcome the client saw.
    r = client.get('request')
    want_out = exp['outcome']
    if r is None:
        got_out = 'dns-only' if exp['client']['request'] is None else 'not sent'
    else:
        got_out = {'answered': 'answered', 'refused': 'refused', 'timeout': 'timeout'}.get(
            r['result'], r['result'])
    status = r['response']['status'] if r and r.get('response') else None
    want_s = want_out + (' %s' % exp['status'] if exp['status'] else '')
    got_s = got_out + (' %s' % status if status and (exp['status'] or status != 200) else '')
    rep.add('outcome', 'what the client got', want_s, got_s, want_s == got_s)
    # Every socket that accepted the request, and the address it saw.
    for h in exp['hops']:
        label = hop_label(h)
        want_local = '%s:%d' % (h['local']['ip'], h['local']['port'])
        seen = [x for x in logs if x['pod'] == label and x['local'] == want_local
                and x['proto'] == h['proto']]
        got = seen[0] if seen else None
        rep.add('endpoint', '%s %s on %s' % (
            h['component'], 'takes the query' if h['proto'] == 'udp' else 'accepts', want_local),
                '%s %s' % (label, want_local),
                '%s %s' % (got['pod'], got['local']) if got else
                ('nobody' if not logs else 'not there: ' + ', '.join(
                    sorted(set('%s %s' % (x['pod'], x['local']) for x in logs)))),
                got is not None)
        if got:
            ip, _, port = got['peer'].rpartition(':')
            want_peer = fmt_peer(h['peer'])
            ok = ip == h['peer']['ip'] and port_ok(h['peer']['port'], port)
            rep.add('source', 'the address %s saw' % label, want_peer, got['peer'], ok,
                    'port chosen by the kernel' if h['peer']['port'] == ANY else '')
    # conntrack, on each node where PodPath shows an entry.
    try:
        waited = float(open(os.path.join(d, 'dumped')).read()) - since
    except (OSError, ValueError):
        waited = 5
    for e in exp['conntrack']:
        want = parse_ct(e['line'])
        lines = open(os.path.join(d, 'ct.%s.txt' % e['ns'])).read().splitlines()
        have = [x for x in (parse_ct(l) for l in lines) if x]
        match = [x for x in have if tuple_ok(want['orig'], x['orig'])]
        got = match[0] if match else None
        # The kernel counts the timeout down from when the entry was made; the lab read it
        # waited seconds into the try.
        ok = got is not None and tuple_ok(want['reply'], got['reply']) and \
            want['state'] == got['state'] and want['flags'] == got['flags'] and \
            want['mark'] == got['mark'] and \
            want['timeout'] - waited - 2 <= got['timeout'] <= want['timeout'] + 1
        rep.add('conntrack', 'node %s' % e['node'], e['line'], got['line'] if got else 'no entry',
                ok)
    if exp.get('ipvsMode'):
        check_ipvs(exp, d, rep)
    # The monitors and captures write as the kernel reports, a moment behind: read them until
    # every followed packet and frame is there, for up to three seconds.
    lab = os.path.dirname(os.path.normpath(d))
    deadline = time.time() + 3
    while True:
        firsts = [first_packet(exp, p, lab) for p in exp['packets']]
        hits = [first_frame(w, frames_since(exp, lab, since)) for w in exp['frames']]
        if all(firsts) and all(hits) or time.time() > deadline:
            break
        time.sleep(0.2)
    # Netfilter: the rules each followed packet matched, per node and table.
    for p, first in zip(exp['packets'], firsts):
        want_rules = [x for x in exp['rules'] if x['node'] == p['node'] and x['leg'] == p['leg']]
        tables = sorted(set([x['table'] for x in want_rules] +
                            ([x['table'] for x in first['rules']] if first else [])))
        t0 = p['tuples'][0]
        what = 'node %s, %s %s:%s > %s:%s' % (p['node'], t0['proto'], t0['src'], t0['sport'],
                                             t0['dst'], t0['dport'])
        if first is None:
            rep.add('rules', what, '%d rules' % len(want_rules), 'packet not seen',
                    False, 'the kernel never saw this packet on this node')
            continue
        for table in tables or ['(none)']:
            want = sorted(set('%s | %s' % (x['chain'], x['rule']) for x in want_rules
                              if x['table'] == table))
            got = sorted(set('%s | %s' % (x['chain'], x['rule']) for x in first['rules']
                             if x['table'] == table))
            rep.add('rules', '%s: %s' % (what, table), want, got, want == got)
    # The rules' own counters (iptables-save -c), per node and table: exactly the rules the
    # trace says a packet matched there, the tunnel's own outer packets included. The lab
    # drains every connection before it zeroes the counters, so no late packet moves one.
    if exp['tool'] == 'xtables':
        for n in exp['nodes']:
            moved = read_counters(os.path.join(d, 'counters.%s.txt' % n['ns']))
            named = set(x['table'] for x in exp['counters'] if x['node'] == n['node'])
            # A node no packet crosses is listed too ('(none)'): what moved there is shown.
            for table in sorted(named | set(t for t, _ in moved)) or ['(none)']:
                want = sorted(set('%s | %s' % (x['chain'], x['rule']) for x in exp['counters']
                                  if x['node'] == n['node'] and x['table'] == table))
                got = sorted('%s | %s' % cr for t, cr in moved if t == table)
                rep.add('counters', 'node %s: %s' % (n['node'], table), want, got, want == got)
    # What crossed the node network.
    for w, hit in zip(exp['frames'], hits):
        rep.add('underlay', 'on the wire (%s)' % w['phase'], frame_text(w),
                frame_text(hit) if hit else 'not seen', hit is not None)
    return rep


def read_ipvs_stats(path):
    """'TCP vip:port -> rs:port' once per connection of each real server, from
    ipvsadm -Ln --stats (Conns, zeroed by ipvsadm -Z before the try)."""
    out = []
    vs = None
    try:
        lines = open(path).read().splitlines()
    except OSError:
        lines = []
    for line in lines:
        m = re.match(r'^(TCP|UDP|SCTP)\s+(\S+)\s+(\d+)\s', line)
        if m:
            vs = '%s %s' % (m.group(1), m.group(2))
            continue
        m = re.match(r'^\s+->\s+(\S+)\s+(\d+)\s', line)
        if m and vs:
            out += ['%s -> %s' % (vs, m.group(1))] * int(m.group(2))
    return sorted(out)


def read_ipvs_conns(path):
    """IPVS's connection entries (ipvsadm -Lnc): protocol, state, source, virtual, destination."""
    out = []
    try:
        lines = open(path).read().splitlines()
    except OSError:
        lines = []
    for line in lines:
        m = re.match(r'^(TCP|UDP|SCTP)\s+\S+\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$', line)
        if m:
            out.append({'proto': m.group(1), 'state': m.group(2), 'source': m.group(3),
                        'virtual': m.group(4), 'dest': m.group(5), 'line': line.strip()})
    return out


def check_ipvs(exp, d, rep):
    """IPVS mode: on each node, the real servers IPVS scheduled this try (their Conns in
    ipvsadm -Ln --stats) are those the trace's IPVS picked, and each picked connection is in
    ipvsadm -Lnc with the trace's client source, virtual service and real server."""
    for n in exp['nodes']:
        want = sorted('%s -> %s' % (x['service'], x['server']) for x in exp['ipvs']
                      if x['node'] == n['node'])
        got = read_ipvs_stats(os.path.join(d, 'ipvss.%s.txt' % n['ns']))
        rep.add('ipvs', 'node %s: ipvsadm -Ln --stats' % n['node'], want, got, want == got,
                'the real servers whose Conns moved')
    for e in exp['ipvs']:
        proto, vaddr = e['service'].split(' ', 1)
        conns = read_ipvs_conns(os.path.join(d, 'ipvsc.%s.txt' % e['ns']))
        src = e['source']
        match = [x for x in conns if x['proto'] == proto and x['virtual'] == vaddr
                 and x['dest'] == e['server'] and x['source'].rpartition(':')[0] == src['ip']
                 and port_ok(src['port'], x['source'].rpartition(':')[2])]
        rep.add('ipvs', 'node %s: ipvsadm -Lnc' % e['node'],
                '%s %s:%s -> %s -> %s' % (proto, src['ip'], src['port'], vaddr, e['server']),
                match[0]['line'] if match else
                ('no entry' if not conns else 'not there: ' + ' | '.join(x['line'] for x in conns)),
                bool(match), 'port chosen by the kernel' if src['port'] == ANY else '')


def read_counters(path):
    """(table, (chain, rule)) of each rule whose packet counter is not zero in iptables-save -c."""
    out = []
    table = None
    try:
        lines = open(path).read().splitlines()
    except OSError:
        lines = []
    for line in lines:
        if line.startswith('*'):
            table = line[1:]
        m = re.match(r'^\[(\d+):\d+\] (-A (\S+) .*)$', line)
        if m and table and int(m.group(1)) > 0:
            out.append((table, (m.group(3), m.group(2))))
    return out


def first_packet(exp, p, lab):
    """Every chain traversal of the followed packet on a node this try, from its rule monitor:
    those whose addresses and ports are the packet's (before or after a translation on that
    node) and, for TCP, whose flags are a SYN (a request) or a SYN-ACK (a reply). Not by trace
    id: the kernel may copy a packet on its way (br_netfilter, veth), which gives it a new one.
    Retransmissions match the same rules, but for a request SYN that came after the SYN-ACK:
    conntrack has seen the reply, so it is ESTABLISHED (nf_conntrack_tcp.c) and takes a
    RELATED,ESTABLISHED rule, which the connection's first packet cannot; it is left out.
    Returns None when the monitor never saw it."""
    path = os.path.join(lab, 'mon.%s.txt' % p['ns'])
    try:
        off = int(open(os.path.join(lab, 'mon.%s.off' % p['ns'])).read())
        with open(path, 'rb') as f:
            f.seek(off)
            text = f.read().decode('utf-8', 'replace')
    except (OSError, ValueError):
        text = ''
    travs = parse_nft_trace(text) if exp['tool'] == 'nft' else parse_xtables_trace(text)
    seen = None
    for k in travs:
        if not any(tuple_ok(t, k) for t in p['tuples']):
            continue
        if k['proto'] == 'tcp':
            syn = 'SYN' in k['flags']
            ack = 'ACK' in k['flags']
            if not syn or ack != (p['dir'] == 'reply'):
                continue
            if p['dir'] != 'reply' and any(
                    re.search(r'(?<!! )--ctstate RELATED,ESTABLISHED', r['rule'])
                    for r in k['rules']):
                continue
        if seen is None:
            seen = {'rules': []}
        for r in k['rules']:
            if r['table'].split()[-1] != 'podpath-lab' and r not in seen['rules']:
                seen['rules'].append(r)
    return seen


def frames_since(exp, lab, since):
    vx = set(exp.get('vxlanPorts', []))
    frames = []
    for name in sorted(os.listdir(lab)):
        if name.startswith('cap.') and name.endswith('.pcap'):
            frames += read_pcap(os.path.join(lab, name), since, vx)
    frames.sort(key=lambda f: f['t'])
    return frames


def first_frame(w, frames):
    for f in frames:
        i, o = f['inner'], f['outer']
        if not tuple_ok(w['inner'], i) or i.get('ttl') != w['inner']['ttl']:
            continue
        if (w['outer'] is None) != (o is None):
            continue
        if o and (o['encap'] != w['outer']['encap'] or o['src'] != w['outer']['src'] or
                  o['dst'] != w['outer']['dst'] or o['ttl'] != w['outer']['ttl'] or
                  o.get('vni') != w['outer']['vni'] or
                  (w['outer']['dport'] is not None and o['dport'] != w['outer']['dport'])):
            continue
        if w['l2'] and (f['l2']['src'] != w['l2']['src'] or f['l2']['dst'] != w['l2']['dst']):
            continue
        return f
    return None


def frame_text(f):
    i = f['inner']
    s = '%s:%s > %s:%s %s ttl %s' % (i['src'], i['sport'], i['dst'], i['dport'], i['proto'],
                                     i['ttl'])
    o = f['outer']
    if o:
        s = '%s %s > %s%s%s ttl %s | %s' % (
            o['encap'], o['src'], o['dst'],
            (' udp dport %s' % o['dport']) if o.get('dport') else ' proto 4',
            (' vni %s' % o['vni']) if o.get('vni') is not None else '', o['ttl'], s)
    if f.get('l2'):
        s = '%s > %s | %s' % (f['l2']['src'], f['l2']['dst'], s)
    return s


def show(v):
    if isinstance(v, list):
        return v if v else ['(none)']
    return [str(v)]


def cmd_check(args):
    exp = json.load(open(args[0]))
    d = args[1]
    rep = check(exp, d, args[2])
    print_report(rep, d, exp['traffic'])


def print_report(rep, d, name):
    ok = sum(1 for c in rep.checks if c['ok'])
    bad = len(rep.checks) - ok
    for c in rep.checks:
        mark = 'agree   ' if c['ok'] else 'DISAGREE'
        print('  %s %-9s %s%s' % (mark, c['kind'], c['what'],
                                   ('  (%s)' % c['note']) if c['note'] else ''))
        if (not c['ok'] or os.environ.get('PODPATH_LAB_VERBOSE')) and \
                isinstance(c['podpath'], list) and len(c['podpath']) + len(c['kernel']) > 8:
            # Long listings: only the lines that differ, as a diff (- PodPath, + kernel).
            import difflib
            for line in difflib.unified_diff(c['podpath'], c['kernel'], 'PodPath', 'kernel',
                                             n=0, lineterm=''):
                if not line.startswith('@@'):
                    print('             %s' % line)
        elif not c['ok'] or os.environ.get('PODPATH_LAB_VERBOSE'):
            pp, kk = show(c['podpath']), show(c['kernel'])
            for line in pp:
                print('             PodPath: %s' % line)
            for line in kk:
                print('             kernel:  %s' % line)
        elif c['kind'] != 'rules':
            print('             %s' % show(c['kernel'])[0])
    with open(os.path.join(d, 'result.json'), 'w') as f:
        json.dump({'traffic': name, 'agree': ok, 'disagree': bad,
                   'checks': rep.checks}, f)
    print('%d %d' % (ok, bad), file=open(os.path.join(d, 'counts'), 'w'))


def cmd_picked(args):
    """Exit 0 when the kernel's random choices this try are the trace's (every hop answered)."""
    exp = json.load(open(args[0]))
    d = args[1]
    since = float(open(os.path.join(d, 'since')).read())
    logs = serve_logs(args[2], since)
    want = set()
    for h in exp['hops']:
        want.add((hop_label(h), '%s:%d' % (h['local']['ip'], h['local']['port'])))
    have = set((x['pod'], x['local']) for x in logs)
    got = sorted('%s %s' % x for x in have)
    print(', '.join(got) or 'nobody', file=open(os.path.join(d, 'picked'), 'w'))
    if want <= have:
        sys.exit(0)
    # Another endpoint answered: the kernel's random choice, try again. No answer at all where
    # PodPath has one is no matter of chance: stop and compare.
    client = json.load(open(os.path.join(d, 'client.json')))
    r = client.get('request')
    got = 'dns-only' if r is None else r.get('result')
    dns_ok = all(q.get('result') == 'answer' for q in client.get('dns', []))
    sys.exit(1 if dns_ok and got == exp['outcome'] else 2)


def cmd_tables(args):
    """The kernel's own listing of each table beside the lines PodPath prints."""
    exp = json.load(open(args[0]))
    d = args[1]
    have = set(args[2].split()) if len(args) > 2 else set()
    rep = Report()
    for i, t in enumerate(exp):
        want = [l['text'] for l in t['lines'] if (not l.get('needs') or l['needs'] in have)
                and l['text'].strip()]
        got = [l.rstrip() for l in open(os.path.join(d, '%d.txt' % i)).read().splitlines()]
        got = [l for l in got if l and not l.startswith('#')]
        if t['cmd'].startswith('iptables-save'):
            # A chain's policy counters move with the kernel's own packets (IGMP and the like);
            # PodPath prints a fresh node's [0:0].
            got = [re.sub(r' \[\d+:\d+\]$', ' [0:0]', l) if l.startswith(':') else l for l in got]
        if t['cmd'].startswith('nft list'):
            # nft before 1.0.8 prints dstnat on output and input as a number (-110, -100).
            got = nft_elements([nft_named(l) for l in got])
            want = nft_elements(want)
        ok = want == got
        note = ''
        if not ok and sorted(want) == sorted(got):
            note = 'same lines, another order'
        if t['cmd'].startswith('nft list'):
            note = note or 'set elements in any order (nft lists them in hash order)'
        rep.add('tables', '%s: %s' % (t['label'], t['cmd']), want, got, ok, note)
    print_report(rep, d, 'tables')


def cmd_vpc_arp(args):
    """The VPC's ARP: answers for each secondary IP with the MAC of the ENI that holds it."""
    dev = args[0]
    owners = dict(x.split('=') for x in args[1:])
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
    s.bind((dev, 0))
    ready(args)
    while True:
        f = s.recv(2048)
        if len(f) < 42 or struct.unpack('!H', f[12:14])[0] != 0x0806:
            continue
        op = struct.unpack('!H', f[20:22])[0]
        sha, spa, tpa = f[22:28], f[28:32], f[38:42]
        target = ip4(tpa)
        if op != 1 or target not in owners:
            continue
        owner = bytes(int(x, 16) for x in owners[target].split(':'))
        reply = (sha + owner + struct.pack('!HHHBBH', 0x0806, 1, 0x0800, 6, 4, 2) + owner + tpa +
                 sha + spa)
        s.send(reply)


STD_PRIOS = {'raw': -300, 'mangle': -150, 'dstnat': -100, 'filter': 0, 'security': 50,
             'srcnat': 100}


def cmd_nft_numeric(args):
    """For nft before 1.0.8: a base chain's named priority as the number it stands for."""
    path = args[0]
    out = []
    for line in open(path).read().splitlines():
        m = re.match(r'^(\s*type \w+ hook (\w+) priority )(\w+)(?: ([-+]) (\d+))?(;.*)$', line)
        if m and m.group(3) in STD_PRIOS and m.group(2) not in ('prerouting', 'postrouting'):
            n = STD_PRIOS[m.group(3)] + (int(m.group(5)) * (1 if m.group(4) == '+' else -1)
                                         if m.group(4) else 0)
            line = '%s%d%s' % (m.group(1), n, m.group(6))
        out.append(line)
    open(path, 'w').write('\n'.join(out) + '\n')


def nft_elements(lines):
    """Set and map elements one a line, sorted: nft lists them in the kernel's hash order."""
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r'^(\s*)elements = \{ (.*)$', line)
        if not m:
            out.append(line)
            i += 1
            continue
        body = m.group(2)
        while not body.rstrip().endswith('}') and i + 1 < len(lines):
            i += 1
            body += ' ' + lines[i].strip()
        items = [x.strip() for x in body.rstrip().rstrip('}').split(',') if x.strip()]
        out.append('%selements = {' % m.group(1))
        out.extend('%s    %s' % (m.group(1), x) for x in sorted(items))
        out.append('%s}' % m.group(1))
        i += 1
    return out


def nft_named(line):
    """A base chain's numeric priority as nft 1.0.8 and later print it (src/rule.c prio2str)."""
    m = re.match(r'^(\s*type \w+ hook (\w+) priority )(-?\d+)(;.*)$', line)
    if not m:
        return line
    n = int(m.group(3))
    for name, v in STD_PRIOS.items():
        if abs(n - v) <= 10:
            off = n - v
            named = name + (' + %d' % off if off > 0 else ' - %d' % -off if off < 0 else '')
            return '%s%s%s' % (m.group(1), named, m.group(4))
    return line


def cmd_frames(args):
    for f in read_pcap(args[0], 0, set(int(x) for x in args[1:])):
        print(frame_text(f))


COMMANDS = {'serve': cmd_serve, 'dns': cmd_dns, 'client': cmd_client, 'check': cmd_check,
            'picked': cmd_picked, 'frames': cmd_frames, 'tables': cmd_tables, 'vpc-arp': cmd_vpc_arp,
            'nft-numeric': cmd_nft_numeric}

if __name__ == '__main__':
    COMMANDS[sys.argv[1]](sys.argv[2:])
`
