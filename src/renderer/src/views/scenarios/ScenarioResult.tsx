import { JsonView } from '../../components/JsonView'

/**
 * The result of `run_scenario` / `scenario_report`. Its shape is not fixed yet, so it is rendered generically: a
 * markdown report (a string) as text, anything else as a JSON tree. Replace this file once src/shared defines it.
 */
export function ScenarioResult({ title, result }: { title: string; result: unknown }): React.JSX.Element {
  return (
    <div className="card" data-testid="scenario-result" data-title={title}>
      <h3>{title}</h3>
      {typeof result === 'string' ? (
        <pre className="report" data-testid="scenario-report">
          {result}
        </pre>
      ) : (
        <div className="json">
          <JsonView value={result} />
        </div>
      )}
    </div>
  )
}
