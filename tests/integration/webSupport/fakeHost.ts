import type { HostCommand, InspectorHost } from '../../../src/main/host/inspectorHost'
import {
  pushBytes,
  type Command,
  type CommandReply,
  type Push,
  type PushBytes
} from '../../../src/shared/inspectorApi'

/** An in-memory InspectorHost: records every call, answers hello, lets the test push. Not the real runtime. */
export function createFakeHost() {
  const listeners = new Set<(push: PushBytes) => void>()
  const handled: Command[] = []
  const host: InspectorHost = {
    helloText() {
      handled.push({ cmd: 'hello' })
      return '{"faults":[],"history":[]}'
    },
    async handle(command: HostCommand): Promise<CommandReply> {
      handled.push(command)
      if (command.cmd === 'list_scenarios') throw new Error('scenario store unavailable')
      return { ok: true, result: { echoed: command.cmd } }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
  return {
    host,
    handled,
    subscribers: () => listeners.size,
    push: (push: Push) => listeners.forEach((listener) => listener(pushBytes(push)))
  }
}

/** A warning event carrying `size` characters, to fill buffers quickly. */
export function bigWarningPush(seq: number, size: number): Push {
  return {
    type: 'events',
    events: [{ seq, ts: seq, kind: 'warning', code: 'filler', message: 'x'.repeat(size) }]
  }
}
