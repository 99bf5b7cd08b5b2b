import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js'
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js'
import { ScenarioFileError } from '../scenarios/loadScenario'
import { TargetFileError } from '../target/targetFileError'
import { progressFor, type Progress } from './progress'

/** What the SDK hands a tool handler besides its arguments: the request's signal, _meta, notifications. */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>

/** A problem with what the caller asked for: its message goes back as the tool error, as is. */
export class ToolInputError extends Error {
  override readonly name = 'ToolInputError'
}

/** A tool's answer: the value as JSON text (what every client shows), the same value structured, and more texts. */
export function jsonResult(value: object, ...texts: string[]): CallToolResult {
  return {
    content: [
      { type: 'text', text: JSON.stringify(value, null, 2) },
      ...texts.map((text) => ({ type: 'text' as const, text }))
    ],
    // Our reports are interfaces, which TypeScript does not count as string-keyed records: they are plain JSON.
    structuredContent: value as Record<string, unknown>
  }
}

export function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true }
}

/**
 * Runs a tool's handler so that whatever it throws comes back as a tool error with a message, never as a stack
 * trace and never taking the server down: the caller's mistakes as they are, anything else named as the tool's
 * failure (its stack goes to stderr, for whoever runs the server).
 */
export function guardTool<Args>(
  tool: string,
  handler: (args: Args, extra: ToolExtra, progress: Progress) => Promise<CallToolResult>
): (args: Args, extra: ToolExtra) => Promise<CallToolResult> {
  return async (args, extra) => {
    const progress = progressFor(extra)
    let result: CallToolResult
    try {
      result = await handler(args, extra, progress)
    } catch (error) {
      result = failure(tool, error, extra)
    }
    await progress.settled()
    return result
  }
}

function failure(tool: string, error: unknown, extra: ToolExtra): CallToolResult {
  if (error instanceof ToolInputError) return toolError(`${tool}: ${error.message}`)
  if (error instanceof ScenarioFileError || error instanceof TargetFileError)
    return toolError(`${tool}: ${error.message}`)
  if (extra.signal.aborted) return toolError(`${tool}: cancelled by the client`)
  console.error(`${tool} failed:`, error)
  const message = error instanceof Error ? error.message : String(error)
  return toolError(`${tool} failed: ${message}`)
}
