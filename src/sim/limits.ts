/** Bounds the engine keeps, shared with the app (which may import this file: it has no logic). */

/** The most connections one session replays: enough for any lesson, bounded for the worker. */
export const MAX_CONNECTIONS = 64
