import { useEffect, useState } from 'react'
import { EXAMPLE_TARGET_NAME, EXAMPLE_TARGET_TEXT } from './exampleTarget'
import type { TargetRun } from './useTargetRun'

/** Bounds of run_target (src/shared/inspectorApi.ts): the reply carries the whole stream, so it stays small. */
const MAX_USERS = 20
const MAX_RUNS = 5

/** The target file (loaded or pasted), how many users and runs, an optional url, and the Run button. */
export function TargetFormPanel({ target }: { target: TargetRun }): React.JSX.Element {
  const { form, setForm, status } = target
  const running = status.kind === 'running'

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
            max={MAX_USERS}
            disabled={running}
            onChange={(users) => setForm({ users })}
          />
          <NumberField
            label="runs each"
            testId="target-runs"
            value={form.runs}
            max={MAX_RUNS}
            disabled={running}
            onChange={(runs) => setForm({ runs })}
          />
        </div>
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
        <div className="controls">
          <button
            type="button"
            className="primary"
            data-testid="target-run-button"
            disabled={running || form.text.trim() === ''}
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
          const value = Math.round(Number(e.target.value))
          if (Number.isFinite(value)) props.onChange(Math.min(props.max, Math.max(1, value)))
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
