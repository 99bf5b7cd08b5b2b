import { commandSchema } from '../../../shared/inspectorApi'
import type { Command, CommandReply } from '../../../shared/inspectorApi'
import { invalidInputReply } from '../commandErrors'

export type IpcCommandCheck =
  | { kind: 'accept'; command: Command }
  /** The sender is not one of our windows: answer nothing useful and do not touch the host. */
  | { kind: 'drop'; reply: CommandReply }
  | { kind: 'invalid'; reply: CommandReply }

const DROPPED_REPLY: CommandReply = {
  ok: false,
  error: { message: 'Refused: the sender is not a Session Inspector window.' }
}

/** The electron-free half of the IPC adapter, so the sender rule and the zod parse are unit-testable. */
export function validateIpcCommand(raw: unknown, senderIsOurs: boolean): IpcCommandCheck {
  if (!senderIsOurs) return { kind: 'drop', reply: DROPPED_REPLY }
  const parsed = commandSchema.safeParse(raw)
  if (!parsed.success) {
    const hint = 'Send a command matching commandSchema in src/shared/inspectorApi.ts.'
    return { kind: 'invalid', reply: invalidInputReply(parsed.error, 'command', hint) }
  }
  return { kind: 'accept', command: parsed.data }
}
