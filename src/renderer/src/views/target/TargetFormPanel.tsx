import { useEffect, useState } from 'react'
import { TARGET_APP_MAX_RUNS, TARGET_APP_MAX_USERS } from '../../../../shared/inspectorApi'
import { GROUP_SIZE_MAX } from '../../../../shared/targetFile'
import { EXAMPLE_TARGET_NAME, EXAMPLE_TARGET_TEXT } from './exampleTarget'
import type { TargetRun } from './useTargetRun'

/**
 * Why a count cannot be run from the app, or null. Bounds of run_target (src/shared/inspectorApi.ts), which refuses
 * the same values: a value is refused with the cap named, never lowered to it.
 */
export function countProblem(label: string, value: number, max: number, flag: string): string | null {
  if (!Number.isInteger(value) || value < 1) return `${label}: a whole number from 1 to ${max}`
  if (value > max)
    return `${label}: ${value} is over the app's cap of ${max}; the CLI takes more (session-inspector target ${flag} ${value})`
  return null
}

/**
 * Why the group size cannot be sent, or null: blank keeps the file's; else the bounds of the CLI's --group-size
 * (run_target refuses the same values, and a file without users.shareKey with the CLI's message).
 */
export function groupSizeProblem(text: string): string | null {
  const given = text.trim()
  if (given === '') return null
  const value = Number(given)
  if (!/^\d+$/.test(given) || value < 1 || value > GROUP_SIZE_MAX)
    return `group size: a whole number from 1 to ${GROUP_SIZE_MAX}, or blank for the file's users.shareKey.groupSize`
  return null
}

/** The target file (loaded or pasted), how many users and runs, an optional url and group size, and the Run button. */
export function TargetFormPanel({ target }: { target: TargetRun }): React.JSX.Element {
  const { form, setForm, status } = target
  const running = status.kind === 'running'
  const usersProblem = countProblem('users', form.users, TARGET_APP_MAX_USERS, '--users')
  const runsProblem = countProblem('runs each', form.runs, TARGET_APP_MAX_RUNS, '--runs')
  const groupProblem = groupSizeProblem(form.groupSize)

  return (
    <div className="column target-form">
      <div className="card column">
        <h3>Target file</h3>
        <div className="controls">
          <input
            type="file"
            accept=".json,application/json"
            data-testid="target-file-input"
            disabled={running}
            onChange={(e) => {
              const file = e.target.files?.[0]
              e.target.value = ''
              if (file !== undefined) void file.text().then((text) => setForm({ text, source: file.name }))
            }}
          />
          <button
            type="button"
            data-testid="target-example-button"
            disabled={running}
            onClick={() => setForm({ text: EXAMPLE_TARGET_TEXT, source: EXAMPLE_TARGET_NAME })}
          >
            Example
          </button>
        </div>
        <div className="muted small" data-testid="target-source" data-source={form.source ?? ''}>
          {form.source === null ? 'edited here' : form.source} · {form.text.length} characters
        </div>
        <textarea
          className="target-text"
          wrap="off"
          data-testid="target-text"
          spellCheck={false}
          value={form.text}
          disabled={running}
          onChange={(e) => setForm({ text: e.target.value, source: null })}
        />
      </div>
      <div className="card column">
        <h3>Run</h3>
        <div className="controls">
          <NumberField
            label="users"
            testId="target-users"
            value={form.users}
            max={TARGET_APP_MAX_USERS}
            disabled={running}
            onChange={(users) => setForm({ users })}
          />
          <NumberField
            label="runs each"
            testId="target-runs"
            value={form.runs}
            max={TARGET_APP_MAX_RUNS}
            disabled={running}
            onChange={(runs) => setForm({ runs })}
          />
        </div>
        {usersProblem !== null && (
          <div className="text-danger small" role="alert" data-testid="target-users-error">
            {usersProblem}
          </div>
        )}
        {runsProblem !== null && (
          <div className="text-danger small" role="alert" data-testid="target-runs-error">
            {runsProblem}
          </div>
        )}
        <label className="target-url">
          <span className="muted">url (optional; replaces the file&apos;s, same {'{{templating}}'})</span>
          <input
            type="text"
            className="mono"
            data-testid="target-url"
            placeholder="ws://127.0.0.1:8787/ws?room={{room}}"
            spellCheck={false}
            value={form.url}
            disabled={running}
            onChange={(e) => setForm({ url: e.target.value })}
          />
        </label>
        <label className="target-group-size">
          <span className="muted">
            group size (optional, as --group-size; replaces users.shareKey.groupSize: users share the key in
            groups of K, 1 gives each its own)
          </span>
          <input
            type="text"
            inputMode="numeric"
            className="mono"
            data-testid="target-group-size"
            placeholder="the file's"
            spellCheck={false}
            value={form.groupSize}
            disabled={running}
            onChange={(e) => setForm({ groupSize: e.target.value })}
          />
        </label>
        {groupProblem !== null && (
          <div className="text-danger small" role="alert" data-testid="target-group-size-error">
            {groupProblem}
          </div>
        )}
        <div className="controls">
          <button
            type="button"
            className="primary"
            data-testid="target-run-button"
            disabled={
              running ||
              form.text.trim() === '' ||
              usersProblem !== null ||
              runsProblem !== null ||
              groupProblem !== null
            }
            onClick={() => void target.start()}
          >
            Run target
          </button>
          {status.kind === 'running' && <Working startedAt={status.startedAt} />}
        </div>
      </div>
    </div>
  )
}

function NumberField(props: {
  label: string
  testId: string
  value: number
  max: number
  disabled: boolean
  onChange: (value: number) => void
}): React.JSX.Element {
  return (
    <label>
      {props.label}
      <input
        type="number"
        min={1}
        max={props.max}
        data-testid={props.testId}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => {
          // Kept as typed: a value out of bounds is shown refused (countProblem), never quietly changed.
          const value = Number(e.target.value)
          if (e.target.value !== '' && Number.isFinite(value)) props.onChange(value)
        }}
      />
      <span className="muted small"> ≤ {props.max}</span>
    </label>
  )
}

/** Seconds since the run began: a target run can take as long as its file's timeouts. */
function Working({ startedAt }: { startedAt: number }): React.JSX.Element {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(timer)
  }, [])
  return (
    <span className="muted target-working" data-testid="target-working" role="status">
      <span className="spinner" /> running… {((now - startedAt) / 1000).toFixed(1)} s
    </span>
  )
}
