/**
 * The longest scenario text PodPath reads: the same 5 MB the app's file chooser takes (the
 * 1,000-Service lesson is 165 KB). Its own module, free of the `yaml` library, so that the app
 * shell (share links, the embed protocol) can check a text's length without loading the reader.
 */
export const MAX_SOURCE_CHARS = 5 * 2 ** 20
