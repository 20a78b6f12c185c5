/**
 * Every Pod's network namespace is created for its sandbox before any app container starts
 * (CRI RunPodSandbox; containerd creates the netns, runs CNI ADD, and starts a "pause"
 * container that holds it). containerd 2.0 and 2.1 default to this image.
 */
export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10'
