/**
 * Full screen for the stage (presenter mode, the F key). A browser may refuse it (no user
 * gesture, an iframe without permission): the stage then fills the window, which is enough.
 */
export function enterFullscreen(): void {
  if (document.fullscreenElement || !document.documentElement.requestFullscreen) return
  document.documentElement.requestFullscreen().catch(() => {})
}

export function toggleFullscreen(): void {
  if (!document.fullscreenElement) return enterFullscreen()
  document.exitFullscreen().catch(() => {})
}

export function exitFullscreen(): void {
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {})
}
