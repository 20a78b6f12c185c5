/**
 * Names and numbers Cilium gives its devices (cilium/cilium; comments name the file).
 */
import { hex, sha256 } from '../../hash.ts'

// pkg/defaults/node.go (and pkg/defaults/defaults.go): the devices the agent creates.
export const CILIUM_HOST = 'cilium_host'
export const CILIUM_NET = 'cilium_net'
export const CILIUM_VXLAN = 'cilium_vxlan'
// pkg/defaults/defaults.go: TunnelPortVXLAN uint16 = 8472 (the chart's tunnelPort 0 keeps it).
export const CILIUM_VXLAN_PORT = 8472

// The BPF programs by their entry names (bpf/bpf_lxc.c, bpf/bpf_overlay.c, bpf/bpf_sock.c).
export const FROM_CONTAINER = 'cil_from_container'
export const FROM_OVERLAY = 'cil_from_overlay'
export const FROM_HOST = 'cil_from_host'
export const SOCK4_CONNECT = 'cil_sock4_connect'
export const SOCK4_SENDMSG = 'cil_sock4_sendmsg'

// pkg/datapath/connector: hostInterfacePrefix "lxc", temporaryInterfacePrefix "tmp"; the name is
// cut to IFNAMSIZ (16) - len("tmp") - 1 = 12 hex characters after the prefix.
const LXC_HEX = 16 - 'tmp'.length - 1

/**
 * connector.Endpoint2IfName: "lxc" + the first 12 hex characters of sha256(endpoint ID). The
 * CNI plugin (plugins/cilium-cni/cmd/cmd.go) passes `containerID + ":" + ifName`: the Pod
 * sandbox's container ID and "eth0".
 */
export function lxcName(containerId: string, ifName = 'eth0'): string {
  return `lxc${hex(sha256(`${containerId}:${ifName}`)).slice(0, LXC_HEX)}`
}

/**
 * The Pod sandbox's container ID as the runtime reports it to the CNI plugin (CNI_CONTAINERID):
 * containerd draws 32 random bytes and prints them as 64 hex characters. PodPath draws them from
 * the Pod's name instead, so a Pod keeps its ID (and its lxc name) from run to run.
 */
export function sandboxContainerId(namespace: string, pod: string): string {
  return hex(sha256(`podpath-sandbox:${namespace}/${pod}`))
}
