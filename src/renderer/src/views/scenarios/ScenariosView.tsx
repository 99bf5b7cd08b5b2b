import { useCallback, useEffect, useState } from 'react'
import { CommandError } from '../../components/CommandError'
import { JsonView } from '../../components/JsonView'
import { useCommand } from '../../session/useCommand'
import { ScenarioResult } from './ScenarioResult'
import { parseScenarioList, scenarioTitle } from './scenarioList'

const MODES = ['failure', 'fixed', 'both'] as const

export function ScenariosView(): React.JSX.Element {
  const { run, busy, error } = useCommand()
  const [list, setList] = useState<{ raw: unknown } | null>(null)
  const [result, setResult] = useState<{ title: string; value: unknown } | null>(null)

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
  const act = async (title: string, command: Parameters<typeof run>[0]): Promise<void> => {
    const reply = await run(command)
    if (reply.ok) setResult({ title, value: reply.result })
  }

  return (
    <div className="split">
      <section className="split-side wide">
        <div className="controls">
          <button
            type="button"
            data-testid="scenarios-refresh"
            disabled={busy}
            onClick={() => void refresh()}
          >
            Refresh
          </button>
          {busy && <span className="muted">working…</span>}
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
            <div key={scenario.id} className="card" data-testid={`scenario-${scenario.id}`}>
              <h3>{scenarioTitle(scenario)}</h3>
              <div className="muted mono small">{scenario.id}</div>
              {(scenario.description ?? scenario.summary) !== undefined && (
                <p className="small">{scenario.description ?? scenario.summary}</p>
              )}
              <div className="controls">
                {MODES.map((mode) => (
                  <button
                    key={mode}
                    type="button"
                    data-testid={`scenario-run-${scenario.id}-${mode}`}
                    disabled={busy}
                    onClick={() =>
                      void act(`${scenario.id} · ${mode}`, { cmd: 'run_scenario', id: scenario.id, mode })
                    }
                  >
                    Run {mode}
                  </button>
                ))}
                <button
                  type="button"
                  data-testid={`scenario-report-${scenario.id}`}
                  disabled={busy}
                  onClick={() =>
                    void act(`${scenario.id} · report`, { cmd: 'scenario_report', id: scenario.id })
                  }
                >
                  Report
                </button>
              </div>
            </div>
          ))}
        </div>
      </section>
      <section className="split-main scroll">
        {result === null ? (
          <div className="empty">Run a scenario to see its result here.</div>
        ) : (
          <ScenarioResult title={result.title} result={result.value} />
        )}
      </section>
    </div>
  )
}
