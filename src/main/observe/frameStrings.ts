import { parseJson } from '../../shared/json'

/** Shortest string learned as a canary: shorter ones are too likely to occur by chance. */
export const MIN_CANARY_LENGTH = 8
/** Free text without digits is distinctive from this length and this many words ("hello there" is not). */
export const MIN_FREE_TEXT_LENGTH = 20
export const MIN_FREE_TEXT_WORDS = 3
/** Longest: a longer string value is not learned whole, only the tokens inside it. */
export const MAX_CANARY_LENGTH = 200
/** Frames whose text is longer than this are not taken apart for strings at all (they are counted as too large). */
export const MAX_JUDGED_BYTES = 1024 * 1024

/** Where a string value is split into tokens: whitespace, quotes, brackets and the punctuation around words. */
const DELIMITERS = /[\s"'`<>()[\]{},;:!?=&|\\]+/u
const HAS_LETTER = /\p{L}/u
const HAS_DIGIT = /\d/
const SPACES = /\s+/
/** Dates and times (ISO 8601 and the like) hold letters and digits, but every client sends them. */
const DATE_LIKE = /^\d{2,4}[-/.]\d{1,2}[-/.]\d{1,4}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$/i

/**
 * Whether a string is distinctive enough to stand for the user who sent it: 8 to 200 characters, at least one
 * letter, not a date, and either letters mixed with digits (ids, tokens, secrets) or free text of at least 20
 * characters and 3 words. A single word without digits (a common word, a protocol's field or type name, camelCase
 * or snake_case) never is; nor a number, a boolean or null.
 */
export function isDistinctive(text: string): boolean {
  if (text.length < MIN_CANARY_LENGTH || text.length > MAX_CANARY_LENGTH) return false
  if (!HAS_LETTER.test(text)) return false
  // A date starts with digits: text without any is never one, and is distinctive only as free text.
  if (HAS_DIGIT.test(text)) return !DATE_LIKE.test(text)
  const trimmed = text.trim()
  // Split no further than the words needed: trimmed, the text has no empty piece at either end.
  return (
    trimmed.length >= MIN_FREE_TEXT_LENGTH &&
    trimmed.split(SPACES, MIN_FREE_TEXT_WORDS).length >= MIN_FREE_TEXT_WORDS
  )
}

/**
 * Socket.IO and Engine.IO put a packet type (and a namespace) before their JSON: `42["chat",{...}]`,
 * `42/admin,["chat",{...}]`. Returns where the JSON starts, or 0.
 */
function jsonStart(text: string): number {
  const match = /^\d+(?:\/[^,[{]*,)?\d*(?=[[{])/.exec(text)
  return match ? match[0].length : 0
}

/** A frame's text read as JSON when it is JSON (after a Socket.IO packet prefix, if any). */
export function parseFrameJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const direct = parseJson(text)
  if (direct.ok) return direct
  const start = jsonStart(text)
  if (start === 0) return { ok: false }
  const rest = parseJson(text.slice(start))
  return rest.ok ? rest : { ok: false }
}

function addTokens(text: string, into: Set<string>): void {
  // Nothing shorter than a canary can hold one: most values of a frame (types, ids, flags) stop here.
  if (text.length < MIN_CANARY_LENGTH) return
  if (isDistinctive(text)) into.add(text)
  // A token holds no whitespace, so it is one word: distinctive only with a digit, which the text then holds too.
  if (!HAS_DIGIT.test(text) || !DELIMITERS.test(text)) return
  for (const token of text.split(DELIMITERS)) if (token !== text && isDistinctive(token)) into.add(token)
}

/**
 * The distinctive strings a frame carries: each JSON string value (whole, and the tokens inside it), never a key;
 * for a frame that is not JSON, its tokens. `keys` receives the JSON keys long enough to be mistaken for a canary:
 * the protocol's own field names.
 */
export function distinctiveStrings(text: string, json: unknown, keys: (key: string) => void): Set<string> {
  const found = new Set<string>()
  if (json === undefined) {
    addTokens(text, found)
    return found
  }
  if (typeof json !== 'object' || json === null) {
    if (typeof json === 'string') addTokens(json, found)
    return found
  }
  const stack: object[] = [json]
  while (stack.length > 0) {
    const container = stack.pop() as Record<string, unknown>
    const isArray = Array.isArray(container)
    // for-in over a parsed frame: no entries array per object on this path, which runs for every message.
    for (const key in container) {
      if (!isArray && key.length >= MIN_CANARY_LENGTH) keys(key)
      const value = container[key]
      if (typeof value === 'string') addTokens(value, found)
      else if (typeof value === 'object' && value !== null) stack.push(value)
    }
  }
  return found
}
