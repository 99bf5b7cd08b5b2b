import { useCallback, useState } from 'react'
import type { ReplyTo } from '../../../shared/commandResults'
import type { Command } from '../../../shared/inspectorApi'
import { useSessionActions } from './SessionContext'

export interface CommandRunner {
  run<C extends Command>(command: C): Promise<ReplyTo<C['cmd']>>
  busy: boolean
  /** A replay is shown; controls that change the live runtime stay disabled. */
  readOnly: boolean
  /** The last failed command's message, cleared by the next success. */
  error: string | null
}

/** Sends commands and keeps the last error so the control that sent it can show why it failed. */
export function useCommand(): CommandRunner {
  const { send, readOnly } = useSessionActions()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const run = useCallback(
    async <C extends Command>(command: C): Promise<ReplyTo<C['cmd']>> => {
      setBusy(true)
      try {
        const reply = await send(command)
        setError(reply.ok ? null : `${command.cmd}: ${reply.error.message}`)
        return reply
      } finally {
        setBusy(false)
      }
    },
    [send]
  )
  return { run, busy, readOnly, error }
}
