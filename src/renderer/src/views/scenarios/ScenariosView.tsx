import { useCallback, useEffect, useState } from 'react'
import type { MachineGraph } from '../../../../shared/machineGraph'
import type {
  ScenarioReportResult,
  ScenarioRunMode,
  ScenarioRunResult,
  ScenarioSummary
} from '../../../../shared/scenarioResult'
import { CommandError } from '../../components/CommandError'
import { downloadText } from '../../components/download'
import type { Replay } from '../../session/replay'
import { useCommand } from '../../session/useCommand'
import type { TabId } from '../../tabs'
import { ScenarioCard } from './ScenarioCard'
import { ScenarioResultView } from './ScenarioResultView'
import { downloadName } from './scenarioResults'

interface Shown {
  /** Counts runs: a new number remounts the result, so its cursors start over at the end of each trace. */
  run: number
  value: ScenarioRunResult
}

/** The built-in scenarios: run a failure, its fix or both, step through their traces, export the report. */
export function ScenariosView({
  machine,
  onOpenReplay
}: {
  machine: MachineGraph | null
  onOpenReplay: (replay: Replay, tab?: TabId) => void
}): React.JSX.Element {
  const { run, busy, error } = useCommand()
  const [scenarios, setScenarios] = useState<ScenarioSummary[] | null>(null)
  const [shown, setShown] = useState<Shown | null>(null)
  const [report, setReport] = useState<ScenarioReportResult | null>(null)
  const [working, setWorking] = useState<string | null>(null)

  const refresh = useCallback(async () => {
    const reply = await run({ cmd: 'list_scenarios' })
    if (reply.ok) setScenarios(reply.result.scenarios)
  }, [run])

  useEffect(() => {
    let cancelled = false
    void run({ cmd: 'list_scenarios' }).then((reply) => {
      if (!cancelled && reply.ok) setScenarios(reply.result.scenarios)
    })
    return () => {
      cancelled = true
    }
  }, [run])

  const runScenario = async (id: string, mode: ScenarioRunMode): Promise<void> => {
    setWorking(`running ${id} (${mode})…`)
    const reply = await run({ cmd: 'run_scenario', id, mode })
    setWorking(null)
    if (!reply.ok) return
    setReport(null)
    setShown((previous) => ({ run: (previous?.run ?? 0) + 1, value: reply.result }))
  }

  const exportReport = async (id: string): Promise<void> => {
    setWorking(`writing the report of ${id}…`)
    const reply = await run({ cmd: 'scenario_report', id })
    setWorking(null)
    if (!reply.ok) return
    const value = reply.result
    downloadText(value.markdown, downloadName(value.id), 'text/markdown')
    setReport(value)
  }

  const selected = shown?.value.scenario.id ?? report?.id ?? null

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
        {shown !== null && (
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
