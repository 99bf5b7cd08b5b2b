import type { JsonValue } from './jsonValue'

/** Variables a template may use, by name. */
export type TemplateVariables = Readonly<Record<string, string>>

const PLACEHOLDER = /\{\{\s*([^{}\s]*)\s*\}\}/g

/** A template named a variable that does not exist: says which, where, and which ones do. */
export class TemplateError extends Error {
  constructor(
    readonly field: string,
    readonly variable: string,
    known: readonly string[]
  ) {
    super(
      `${field}: unknown variable {{${variable}}}; expected one of ${known.map((name) => `{{${name}}}`).join(', ')}`
    )
  }
}

/** Replaces every {{name}} with its variable. No expressions, no eval: a name, or an error naming it. */
export function renderTemplate(field: string, text: string, variables: TemplateVariables): string {
  return text.replace(PLACEHOLDER, (_match, name: string) => {
    const value = Object.hasOwn(variables, name) ? variables[name] : undefined
    if (value === undefined) throw new TemplateError(field, name, Object.keys(variables).sort())
    return value
  })
}

/** Renders every string inside a JSON value (keys stay as written). */
export function renderJsonTemplate(field: string, value: JsonValue, variables: TemplateVariables): JsonValue {
  if (typeof value === 'string') return renderTemplate(field, value, variables)
  if (Array.isArray(value))
    return value.map((item, index) => renderJsonTemplate(`${field}[${index}]`, item, variables))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        renderJsonTemplate(`${field}.${key}`, item, variables)
      ])
    )
  }
  return value
}

/** Whether a JSON template mentions {{name}} anywhere. */
export function mentionsVariable(value: JsonValue | undefined, name: string): boolean {
  if (value === undefined || value === null) return false
  if (typeof value === 'string') return [...value.matchAll(PLACEHOLDER)].some((match) => match[1] === name)
  if (Array.isArray(value)) return value.some((item) => mentionsVariable(item, name))
  if (typeof value === 'object') return Object.values(value).some((item) => mentionsVariable(item, name))
  return false
}
