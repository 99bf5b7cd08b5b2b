import { useCallback, useState } from 'react'
import type { InspectionEvent } from '../../../../shared/inspection'
import { readRecordingText } from '../../../../shared/recordingFormat'
import type { SendCommand } from '../../../../shared/inspectorApi'
import { createInitialState, reduceEvents, type InspectorState } from '../../store'
import { EXAMPLE_TARGET_NAME, EXAMPLE_TARGET_TEXT } from './exampleTarget'
import { fieldsOfMessage, type RunTargetResult } from './targetResult'

export interface TargetForm {
  text: string
  /** Where the text came from: a file's name, the bundled example, or null once edited by hand. */
  source: string | null
  users: number
  runs: number
  /** Replaces the file's url when not blank. */
  url: string
  /** Replaces users.shareKey.groupSize when not blank, as the CLI's --group-size. */
  groupSize: string
}

export type TargetStatus =
  | { kind: 'idle' }
  | { kind: 'running'; startedAt: number; users: number; runs: number }
  | { kind: 'failed'; message: string; path: string | null; fields: string[] }
  | {
      kind: 'done'
      result: RunTargetResult
      /** The run's stream, read back with the same line checks as a recording file. */
      events: InspectionEvent[]
      /** The stream folded by the views' reducer: per-user latency and the excerpts of unusable frames. */
      final: InspectorState
      finishedAt: Date
    }

export interface TargetRun {
  form: TargetForm
  setForm(patch: Partial<TargetForm>): void
  status: TargetStatus
  start(): Promise<void>
}

/**
 * The Target tab's form and last result. App holds it, so a run survives switching tabs (to look at its replay)
 * and a reply that arrives while another tab is shown is not lost.
 */
export function useTargetRun(send: SendCommand): TargetRun {
  const [form, setFormState] = useState<TargetForm>({
    text: EXAMPLE_TARGET_TEXT,
    source: EXAMPLE_TARGET_NAME,
    users: 3,
    runs: 2,
    url: '',
    groupSize: ''
  })
  const [status, setStatus] = useState<TargetStatus>({ kind: 'idle' })
  const setForm = useCallback(
    (patch: Partial<TargetForm>) => setFormState((current) => ({ ...current, ...patch })),
    []
  )

  const start = useCallback(async () => {
    const url = form.url.trim()
    const groupSize = form.groupSize.trim()
    setStatus({ kind: 'running', startedAt: Date.now(), users: form.users, runs: form.runs })
    const reply = await send({
      cmd: 'run_target',
      target: form.text,
      users: form.users,
      runs: form.runs,
      ...(url === '' ? {} : { url }),
      ...(groupSize === '' ? {} : { group_size: Number(groupSize) })
    })
    if (!reply.ok) return setStatus(failure(reply.error.message, reply.error.path ?? null))
    const result = reply.result
    const read = readRecordingText(result.ndjson)
    if (!read.ok) return setStatus(failure(`the run's recording, line ${read.line}: ${read.problem}`, null))
    const events = read.events
    const final = reduceEvents(createInitialState(), events)
    setStatus({ kind: 'done', result, events, final, finishedAt: new Date() })
  }, [form, send])

  return { form, setForm, status, start }
}

function failure(message: string, path: string | null): TargetStatus {
  return { kind: 'failed', message, path, fields: path === 'target' ? fieldsOfMessage(message) : [] }
}
