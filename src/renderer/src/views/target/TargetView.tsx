import { downloadText } from '../../components/download'
import type { MachineGraph } from '../../../../shared/machineGraph'
import { replayFromEvents, type Replay } from '../../session/replay'
import type { TabId } from '../../tabs'
import { TargetFindings } from './TargetFindings'
import { TargetFormPanel } from './TargetFormPanel'
import { targetRecordingName, targetReplayName } from './targetResult'
import { TargetUsersTable } from './TargetUsersTable'
import { TargetVerdict } from './TargetVerdict'
import type { TargetRun } from './useTargetRun'

/** Target mode from the app: run a target file against your own backend, read the report, replay its stream. */
export function TargetView({
  target,
  machine,
  onOpenReplay
}: {
  target: TargetRun
  machine: MachineGraph | null
  onOpenReplay: (replay: Replay, tab?: TabId) => void
}): React.JSX.Element {
  const { status } = target
  return (
    <div className="split">
      <section className="split-side wide target-side">
        <TargetFormPanel target={target} />
      </section>
      <section className="split-main scroll target-main">
        {status.kind === 'idle' && (
          <div className="empty target-empty">
            Point the simulated users at your own WebSocket backend.
            <br />
            To try it:{' '}
            <span className="mono">
              npx tsx tests/fixtures/sampleBackend/main.ts --port 8787 --bug broadcast
            </span>
            , then Run target.
          </div>
        )}
        {status.kind === 'running' && (
          <div className="empty" data-testid="target-running">
            {status.users} user(s) × {status.runs} run(s) against the backend. Their lanes fill live in the
            Users tab; the report comes here when the run is over.
          </div>
        )}
        {status.kind === 'failed' && (
          <div
            className="card card-danger"
            data-testid="target-error"
            data-path={status.path ?? ''}
            data-fields={status.fields.join(' ')}
          >
            <h3>
              {status.path === 'target' ? 'The target file cannot be used' : 'The target run failed'}
              {status.fields.length > 0 && <> · {status.fields.join(', ')}</>}
            </h3>
            <pre className="error-text">{status.message}</pre>
          </div>
        )}
        {status.kind === 'done' && (
          <div className="column" data-testid="target-report" data-exit-code={status.result.exitCode}>
            <TargetVerdict
              result={status.result}
              onOpen={() =>
                onOpenReplay(
                  replayFromEvents(targetReplayName(status.result.report), status.events, machine),
                  'users'
                )
              }
              onDownload={() =>
                downloadText(
                  status.result.ndjson,
                  targetRecordingName(status.finishedAt),
                  'application/x-ndjson'
                )
              }
            />
            <TargetFindings report={status.result.report} final={status.final} />
            <TargetUsersTable report={status.result.report} final={status.final} />
          </div>
        )}
      </section>
    </div>
  )
}
