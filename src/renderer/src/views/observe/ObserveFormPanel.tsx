import type { ObserveRun } from './useObserve'

/** Upstream, listen port, user rules and owner-id pointers (as `observe`'s flags), and Start / Stop. */
export function ObserveFormPanel({ observe }: { observe: ObserveRun }): React.JSX.Element {
  const { form, setForm, status } = observe
  const locked = status.kind !== 'idle' && status.kind !== 'failed'
  const failedAt = status.kind === 'failed' ? status.path : null
  const field = (path: string): boolean => failedAt?.startsWith(path) === true

  return (
    <div className="card column observe-form">
      <h3>Observe</h3>
      <label className="column">
        <span className="muted">upstream: your backend&apos;s origin (ws:// or http://)</span>
        <input
          type="text"
          className="mono"
          data-testid="observe-upstream"
          aria-invalid={field('upstream')}
          spellCheck={false}
          value={form.upstream}
          disabled={locked}
          onChange={(e) => setForm({ upstream: e.target.value })}
        />
      </label>
      <label className="column">
        <span className="muted">listen port on 127.0.0.1 (blank or 0: a free one)</span>
        <input
          type="text"
          inputMode="numeric"
          className="mono"
          data-testid="observe-listen"
          aria-invalid={field('listen')}
          placeholder="0"
          value={form.listen}
          disabled={locked}
          onChange={(e) => setForm({ listen: e.target.value })}
        />
      </label>
      <label className="column">
        <span className="muted">
          user rules, one per line, tried in order: header:NAME, cookie:NAME, query:NAME,
          jwt:CLAIM@header:NAME, json:/pointer@first-message
        </span>
        <textarea
          className="mono observe-lines"
          rows={3}
          data-testid="observe-rules"
          aria-invalid={field('user_from')}
          spellCheck={false}
          value={form.rules}
          disabled={locked}
          onChange={(e) => setForm({ rules: e.target.value })}
        />
      </label>
      <label className="column">
        <span className="muted">
          owner-id pointers, one per line (where a frame names its owner, e.g. /user_id)
        </span>
        <textarea
          className="mono observe-lines"
          rows={2}
          data-testid="observe-owner-ids"
          spellCheck={false}
          value={form.ownerIds}
          disabled={locked}
          onChange={(e) => setForm({ ownerIds: e.target.value })}
        />
      </label>
      <label title="Unchecked: judge by owner ids only, as --no-canaries (for apps that mean to show one user's words to others)">
        <input
          type="checkbox"
          data-testid="observe-canaries"
          checked={form.canaries}
          disabled={locked}
          onChange={(e) => setForm({ canaries: e.target.checked })}
        />{' '}
        learn canaries (strings a user sent, flagged when they reach another user)
      </label>
      <div className="controls">
        <button
          type="button"
          data-testid="observe-start"
          disabled={locked}
          onClick={() => void observe.start()}
        >
          {status.kind === 'starting' ? 'Starting…' : 'Start observing'}
        </button>
        <button
          type="button"
          data-testid="observe-stop"
          disabled={status.kind !== 'running'}
          onClick={() => void observe.stop()}
        >
          {status.kind === 'stopping' ? 'Stopping…' : 'Stop'}
        </button>
        <span className="muted small" data-testid="observe-state" data-state={status.kind}>
          {status.kind}
        </span>
      </div>
      {status.kind === 'failed' && (
        <div className="error-text" data-testid="observe-error" data-path={status.path ?? ''}>
          {status.message}
        </div>
      )}
    </div>
  )
}
