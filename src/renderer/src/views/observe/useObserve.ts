import { useCallback, useEffect, useState } from 'react'
import type { SendCommand } from '../../../../shared/inspectorApi'
import type { ObserveOutcome, ObserveStatusResult } from '../../../../shared/observeResult'

export interface ObserveForm {
  upstream: string
  /** Blank or 0: a free port. */
  listen: string
  /** `--user-from` rules, one per line. */
  rules: string
  /** `--owner-id` pointers, one per line. */
  ownerIds: string
  /** Unchecked: as `--no-canaries`. */
  canaries: boolean
}

export type ObserveStatus =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | { kind: 'running'; url: string; upstream: string }
  | { kind: 'stopping'; url: string; upstream: string }
  | { kind: 'failed'; message: string; path: string | null }

/** The last observation that ended, and how (stopped here, or ended by a runtime restart). */
export type ObserveEnded = ObserveOutcome & { endedBy: 'stop' | 'restart' }

export interface ObserveRun {
  form: ObserveForm
  setForm(patch: Partial<ObserveForm>): void
  status: ObserveStatus
  ended: ObserveEnded | null
  start(): Promise<void>
  stop(): Promise<void>
  /** Asks the host what is going on (a window reloaded while observing, a restart that ended it). */
  refresh(): Promise<void>
}

/** The form's lines as a command's list: trimmed, blank lines dropped. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
}

/**
 * The Observe tab's form and observation. App holds it, so an observation keeps its form and summary while other
 * tabs are shown. The connections, leaks and lanes come from the live session's projection, not from here.
 */
export function useObserve(send: SendCommand): ObserveRun {
  const [form, setFormState] = useState<ObserveForm>({
    upstream: 'ws://127.0.0.1:8788',
    listen: '',
    rules: 'cookie:user',
    ownerIds: '/user_id',
    canaries: true
  })
  const [status, setStatus] = useState<ObserveStatus>({ kind: 'idle' })
  const [ended, setEnded] = useState<ObserveEnded | null>(null)
  const setForm = useCallback(
    (patch: Partial<ObserveForm>) => setFormState((current) => ({ ...current, ...patch })),
    []
  )

  const apply = useCallback((result: ObserveStatusResult) => {
    setEnded(result.last)
    setStatus((current) => {
      if (result.running !== null)
        return { kind: 'running', url: result.running.url, upstream: result.running.upstream }
      return current.kind === 'failed' ? current : { kind: 'idle' }
    })
  }, [])

  const refresh = useCallback(async () => {
    const reply = await send({ cmd: 'observe_status' })
    if (reply.ok) apply(reply.result)
  }, [send, apply])

  useEffect(() => {
    let cancelled = false
    void send({ cmd: 'observe_status' }).then((reply) => {
      if (!cancelled && reply.ok) apply(reply.result)
    })
    return () => {
      cancelled = true
    }
  }, [send, apply])

  const start = useCallback(async () => {
    const listen = form.listen.trim()
    const port = listen === '' ? 0 : Number(listen)
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      setStatus({ kind: 'failed', message: `listen: '${listen}' is not a port (0 to 65535)`, path: 'listen' })
      return
    }
    setStatus({ kind: 'starting' })
    const reply = await send({
      cmd: 'observe_start',
      upstream: form.upstream.trim(),
      listen: port,
      user_from: lines(form.rules),
      owner_ids: lines(form.ownerIds),
      canaries: form.canaries
    })
    if (!reply.ok) {
      setStatus({ kind: 'failed', message: reply.error.message, path: reply.error.path ?? null })
      return
    }
    setEnded(null)
    setStatus({ kind: 'running', url: reply.result.url, upstream: reply.result.upstream })
  }, [form, send])

  const stop = useCallback(async () => {
    if (status.kind !== 'running') return
    setStatus({ ...status, kind: 'stopping' })
    const reply = await send({ cmd: 'observe_stop' })
    if (reply.ok) {
      setEnded({ ...reply.result, endedBy: 'stop' })
      setStatus({ kind: 'idle' })
    } else {
      // Ended some other way meanwhile (a restart): ask what is left.
      await refresh()
    }
  }, [status, send, refresh])

  return { form, setForm, status, ended, start, stop, refresh }
}
