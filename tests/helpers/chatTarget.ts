import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { parseTargetFile } from '../../src/main/target/loadTargetFile'
import { prepareTarget } from '../../src/main/target/prepareTarget'
import { runTarget } from '../../src/main/target/runTarget'
import { targetExitCode, type TargetReport } from '../../src/main/target/targetReport'
import type { InspectionEvent } from '../../src/shared/inspection'
import { startChatBackend, type ChatBug } from '../fixtures/chatBackend/chatBackend'

/** A target file for the ownerless chat backend; `events` and `users` are merged over its defaults. */
export function chatTargetJson(
  change: { events?: Record<string, unknown>; users?: Record<string, unknown> } = {}
): Record<string, unknown> {
  return {
    url: 'ws://127.0.0.1:1/chat?token={{token}}',
    users: { token: 'token-{{user_id}}', vars: { room: 'room-{{index}}' }, ...change.users },
    start: { op: 'ask', id: 'q-{{user_id}}-{{run}}', room: '{{room}}', text: 'hello from {{canary}}' },
    events: {
      type: '/event',
      types: { agent_started: 'answer.begin', agent_completed: 'answer.end' },
      ignore: ['answer.delta'],
      ...change.events
    },
    timeouts: { connectMs: 2_000, runMs: 1_500, settleMs: 100 }
  }
}

export const BY_REQUEST = {
  ownership: 'request',
  requestId: '/reply_to',
  requestIdSent: 'q-{{user_id}}-{{run}}'
}
export const BY_CONNECTION = { ownership: 'connection' }

/** Runs target mode with `json` against a fresh chat backend with `bug`, then stops the backend. */
export async function targetChatBackend(
  bug: ChatBug | null,
  json: Record<string, unknown>,
  options: { users?: number; runs?: number; groupSize?: number } = {}
): Promise<{ report: TargetReport; exitCode: number; events: InspectionEvent[] }> {
  const backend = await startChatBackend({ bug })
  try {
    const file = parseTargetFile('chat', JSON.stringify(json))
    const url = `${backend.url}?token={{token}}`
    const users = prepareTarget('chat', file, {
      users: options.users ?? 2,
      url,
      ...(options.groupSize === undefined ? {} : { groupSize: options.groupSize })
    })
    const bus = new InspectionBus()
    const report = await runTarget(file, users, { runs: options.runs ?? 1, bus, url })
    return { report, exitCode: targetExitCode(report), events: bus.snapshot() }
  } finally {
    await backend.close()
  }
}
