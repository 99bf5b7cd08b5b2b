import { useCallback, useEffect, useState } from 'react'
import type { MachineGraph } from '../../../../shared/machineGraph'
import type {
  ScenarioReportResult,
  ScenarioRunMode,
  ScenarioRunResult
} from '../../../../shared/scenarioResult'
import { CommandError } from '../../components/CommandError'
import { downloadText } from '../../components/download'
import { JsonView } from '../../components/JsonView'
import type { Replay } from '../../session/replay'
import { useCommand } from '../../session/useCommand'
import type { TabId } from '../../tabs'
import { ScenarioCard } from './ScenarioCard'
import { ScenarioResultView } from './ScenarioResultView'
import { downloadName, parseReport, parseRunResult, parseScenarioList } from './scenarioResults'

type Shown =
  { kind: 'result'; run: number; value: ScenarioRunResult } | { kind: 'raw'; title: string; value: unknown }

/** The built-in scenarios: run a failure, its fix or both, step through their traces, export the report. */
export function ScenariosView({
  machine,
  onOpenReplay
}: {
  machine: MachineGraph | null
  onOpenReplay: (replay: Replay, tab?: TabId) => void
}): React.JSX.Element {
  const { run, busy, error } = useCommand()
  const [list, setList] = useState<{ raw: unknown } | null>(null)
  const [shown, setShown] = useState<Shown | null>(null)
  const [report, setReport] = useState<ScenarioReportResult | null>(null)
  const [working, setWorking] = useState<string | null>(null)

  const refresh = useCallback(async () => {
    const reply = await run({ cmd: 'list_scenarios' })
    if (reply.ok) setList({ raw: reply.result })
  }, [run])

  useEffect(() => {
    let cancelled = false
    void run({ cmd: 'list_scenarios' }).then((reply) => {
      if (!cancelled && reply.ok) setList({ raw: reply.result })
    })
    return () => {
      cancelled = true
    }
  }, [run])

  const scenarios = list === null ? null : parseScenarioList(list.raw)

  const runScenario = async (id: string, mode: ScenarioRunMode): Promise<void> => {
    setWorking(`running ${id} (${mode})…`)
    const reply = await run({ cmd: 'run_scenario', id, mode })
    setWorking(null)
    if (!reply.ok) return
    const value = parseRunResult(reply.result)
    setReport(null)
    setShown((previous) =>
      value === null
        ? { kind: 'raw', title: `${id} · ${mode} (unrecognised shape)`, value: reply.result }
        : // A new run number remounts the result, so its cursors start over at the end of each trace.
          { kind: 'result', run: (previous?.kind === 'result' ? previous.run : 0) + 1, value }
    )
  }

  const exportReport = async (id: string): Promise<void> => {
    setWorking(`writing the report of ${id}…`)
    const reply = await run({ cmd: 'scenario_report', id })
    setWorking(null)
    if (!reply.ok) return
    const value = parseReport(reply.result)
    if (value === null)
      return setShown({ kind: 'raw', title: `${id} · report (unrecognised shape)`, value: reply.result })
    downloadText(value.markdown, downloadName(value.id), 'text/markdown')
    setReport(value)
  }

  const selected = shown?.kind === 'result' ? shown.value.scenario.id : (report?.id ?? null)

  return (
    <div className="split">
      <section className="split-side scenarios-side">
        <div className="controls">
          <button
            type="button"
            data-testid="scenarios-refresh"
            disabled={busy}
            onClick={() => void refresh()}
          >
            Refresh
          </button>
          {working !== null && (
            <span className="muted" data-testid="scenario-working">
              {working}
            </span>
          )}
          <CommandError error={error} />
        </div>
        {list !== null && scenarios === null && (
          <div className="card" data-testid="scenario-list-raw">
            <h3>Scenarios (unrecognised shape)</h3>
            <JsonView value={list.raw} />
          </div>
        )}
        <div className="scenario-list" data-testid="scenario-list" data-count={scenarios?.length ?? 0}>
          {scenarios?.map((scenario) => (
            <ScenarioCard
              key={scenario.id}
              scenario={scenario}
              selected={scenario.id === selected}
              disabled={busy}
              onRun={(mode) => void runScenario(scenario.id, mode)}
              onReport={() => void exportReport(scenario.id)}
            />
          ))}
        </div>
      </section>
      <section className="split-main scroll scenario-main">
        {report !== null && (
          <details
            className="card scenario-report"
            data-testid="scenario-report"
            data-id={report.id}
            open={shown === null}
          >
            <summary>
              Report of <span className="mono">{report.id}</span> saved as{' '}
              <span className="mono">{downloadName(report.id)}</span>
            </summary>
            <pre className="report">{report.markdown}</pre>
          </details>
        )}
        {shown === null && report === null && (
          <div className="empty">Run a scenario to see its failure and its fix side by side.</div>
        )}
        {shown?.kind === 'raw' && (
          <div className="card" data-testid="scenario-result-raw" data-title={shown.title}>
            <h3>{shown.title}</h3>
            <div className="json">
              <JsonView value={shown.value} />
            </div>
          </div>
        )}
        {shown?.kind === 'result' && (
          <ScenarioResultView
            key={shown.run}
            result={shown.value}
            machine={machine}
            onOpenReplay={onOpenReplay}
          />
        )}
      </section>
    </div>
  )
}
