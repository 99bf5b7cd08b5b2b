/** A parsed JSON value, as z.json() produces it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
