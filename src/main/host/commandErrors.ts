import type { z } from 'zod'
import type { CommandError, CommandReply } from '../../shared/inspectorApi'

/** Turns a zod failure into the reply a transport sends back: the first problem, where it is, and what to do. */
export function invalidInputReply(error: z.ZodError, what: string, hint: string): CommandReply {
  return { ok: false, error: describeIssues(error, what, hint) }
}

export function describeIssues(error: z.ZodError, what: string, hint: string): CommandError {
  const [first] = error.issues
  if (!first) return { message: `Invalid ${what}. ${hint}` }
  const path = first.path.map(String).join('.')
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem(s))` : ''
  const where = path === '' ? '' : ` at "${path}"`
  const message = `Invalid ${what}${where}: ${first.message}${more}. ${hint}`
  return path === '' ? { message } : { message, path }
}

/** A host that throws must not take the transport down: the caller gets an error reply instead. */
export function hostFailureReply(error: unknown): CommandReply {
  const reason = error instanceof Error ? error.message : String(error)
  return { ok: false, error: { message: `The runtime failed while handling the command: ${reason}` } }
}
