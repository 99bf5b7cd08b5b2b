import type { Command } from '../../shared/inspectorApi'
import { hostFailureReply } from './commandErrors'
import type { InspectorHost } from './inspectorHost'

/**
 * A validated command's reply as JSON text, the one form both transports carry (web mode wraps it in a frame, IPC
 * hands it over as a string). `hello` is written around the host's own text, so a long history is never parsed or
 * serialized again, whichever transport asks.
 */
export async function answerCommand(host: InspectorHost, command: Command): Promise<string> {
  if (command.cmd === 'hello') return answerHello(host)
  try {
    return JSON.stringify(await host.handle(command))
  } catch (failure) {
    return JSON.stringify(hostFailureReply(failure))
  }
}

/** `hello`'s reply, synchronously: web mode notes which events the history covered in the same turn. */
export function answerHello(host: InspectorHost): string {
  try {
    return `{"ok":true,"result":${host.helloText()}}`
  } catch (failure) {
    return JSON.stringify(hostFailureReply(failure))
  }
}
