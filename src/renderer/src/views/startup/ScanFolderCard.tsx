import { useState } from 'react'
import type { CommandResult } from '../../../../shared/commandResults'
import type { MachineGraph } from '../../../../shared/machineGraph'
import { CommandError } from '../../components/CommandError'
import { replayFromEvents, type Replay } from '../../session/replay'
import { useCommand } from '../../session/useCommand'
import type { TabId } from '../../tabs'

type ScanResult = CommandResult<'scan_folder'>

/**
 * Scans a folder of the developer's own code for import-time singletons (docs/scan.md) and opens the failure its
 * findings cause, replayed on the runtime with their own modules, in this view.
 */
export function ScanFolderCard({
  machine,
  onOpenReplay
}: {
  machine: MachineGraph | null
  onOpenReplay: (replay: Replay, tab?: TabId) => void
}): React.JSX.Element {
  const { run, busy, error } = useCommand()
  const [path, setPath] = useState('')
  const [result, setResult] = useState<ScanResult | null>(null)

  const scan = async (): Promise<void> => {
    setResult(null)
    const reply = await run({ cmd: 'scan_folder', path: path.trim() })
    if (reply.ok) setResult(reply.result)
  }
  const failure = result?.replay?.runs.find((outcome) => outcome.run === 'failure') ?? null

  return (
    <div className="card" data-testid="scan-card">
      <h3>Scan your code</h3>
      <p className="muted small">
        A folder on this machine: import-time calls that fetch a per-user manager without a context, with the
        imports that load them from your tests.
      </p>
      <div className="controls">
        <input
          type="text"
          className="mono"
          placeholder="/path/to/your/backend"
          data-testid="scan-path"
          value={path}
          disabled={busy}
          onChange={(e) => setPath(e.target.value)}
        />
        <button
          type="button"
          data-testid="scan-run"
          disabled={busy || path.trim() === ''}
          onClick={() => void scan()}
        >
          {busy ? 'Scanning…' : 'Scan'}
        </button>
      </div>
      <CommandError error={error} />
      {result !== null && (
        <div
          data-testid="scan-result"
          data-findings={result.report.findings.length}
          data-exit-code={result.report.exitCode}
        >
          <p className="small">
            {result.report.findings.length} finding(s) in {result.report.filesScanned} file(s)
            {result.report.skipped.length > 0 && `, ${result.report.skipped.length} skipped (did not parse)`}
          </p>
          <ul className="scan-findings">
            {result.report.findings.map((finding, index) => (
              <li
                key={`${finding.file}:${finding.line}:${finding.column}`}
                data-testid="scan-finding"
                data-phase={finding.phase}
              >
                <span className="mono">
                  {finding.file}:{finding.line}
                </span>{' '}
                <code>{finding.code}</code>
                {result.chains[index]?.[0] !== undefined && (
                  <div className="muted small mono">{result.chains[index][0]}</div>
                )}
              </li>
            ))}
          </ul>
          {failure !== null && (
            <button
              type="button"
              className="primary"
              data-testid="scan-open"
              onClick={() =>
                onOpenReplay(
                  replayFromEvents(`scan · ${result.report.root}`, failure.trace, machine, {
                    source: 'scenario'
                  }),
                  'startup'
                )
              }
            >
              Show its start-up failure here
            </button>
          )}
        </div>
      )}
    </div>
  )
}
