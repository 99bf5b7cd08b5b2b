/** JSON.parse that returns a result instead of throwing, so a bad frame never takes a handler down. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}

/** Ids like the runtime's (word characters, dots, colons, dashes) need no escaping in JSON. */
const PLAIN = /^[\w.:-]*$/

/**
 * A string as JSON text, exactly as JSON.stringify writes it: plain ids are just quoted, which on the hot paths
 * (every event's ids) costs a fraction of the escaper; anything else goes through JSON.stringify.
 */
export function jsonString(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text)
}

/** Whether `text` is written in JSON as itself between quotes (and is ASCII, so its UTF-8 is its Latin-1). */
export function isPlainJsonString(text: string): boolean {
  return PLAIN.test(text)
}
