import { useMemo, useState } from 'react'
import type { MachineGraph } from '../../../../shared/machineGraph'
import type { RunOutcome, ScenarioRunResult, WhyBinding } from '../../../../shared/scenarioResult'
import { replayFromEvents, type Replay } from '../../session/replay'
import { createInitialState, Timeline } from '../../store'
import type { TabId } from '../../tabs'
import { RunOutcomePanel } from './RunOutcomePanel'
import { failureOf } from './scenarioResults'
import { WhysPanel } from './WhysPanel'

/**
 * A scenario's runs side by side (its failure, variants and fix), each with a cursor over its trace, and the five
 * whys beside them. Mount it with a new `key` per result: cursors start at the end of every trace.
 */
export function ScenarioResultView({
  result,
  machine,
  onOpenReplay
}: {
  result: ScenarioRunResult
  machine: MachineGraph | null
  onOpenReplay: (replay: Replay, tab?: TabId) => void
}): React.JSX.Element {
  const timelines = useMemo(
    () =>
      new Map(
        result.runs.map((run) => [run.run, new Timeline(run.trace, { ...createInitialState(), machine })])
      ),
    [result, machine]
  )
  const [cursors, setCursors] = useState<Record<string, number>>(() =>
    Object.fromEntries(result.runs.map((run) => [run.run, run.trace.length]))
  )
  const [activeWhy, setActiveWhy] = useState<number | null>(null)
  const whysByRun = useMemo(() => groupWhys(result.whys), [result.whys])
  const { verdict } = result

  const seek = (run: string, cursor: number): void => {
    setCursors((current) => ({ ...current, [run]: cursor }))
    // Moving that why's run away from its evidence un-highlights it; moving another run does not.
    if (result.whys.find((why) => why.index === activeWhy)?.run === run) setActiveWhy(null)
  }
  const jumpToWhy = (why: WhyBinding): void => {
    const at = why.seq === null ? null : (timelines.get(why.run)?.cursorOfSeq(why.seq) ?? null)
    if (at === null) return
    setCursors((current) => ({ ...current, [why.run]: at }))
    setActiveWhy(why.index)
    document
      .querySelector(`[data-testid="scenario-outcome-${CSS.escape(why.run)}"]`)
      ?.scrollIntoView({ block: 'nearest', inline: 'nearest' })
  }
  const openInViews = (run: RunOutcome): void => {
    const source = failureOf(run)?.source
    const tab: TabId = source === 'leak' || source === 'missing' ? 'users' : 'startup'
    const name = `${result.scenario.id} · ${run.run}`
    onOpenReplay(
      replayFromEvents(name, run.trace, machine, { source: 'scenario', cursor: cursors[run.run] }),
      tab
    )
  }

  return (
    <div
      className="scenario-result"
      data-testid="scenario-result"
      data-id={result.scenario.id}
      data-mode={result.mode}
      data-ok={verdict.ok}
      data-title={`${result.scenario.id} · ${result.mode}`}
    >
      <header className="scenario-head">
        <div>
          <div className="scenario-title">{result.scenario.title}</div>
          <div className="muted small">
            {result.scenario.source.report} · {result.scenario.source.title} · seed {result.seed}
          </div>
        </div>
        <div className="verdicts">
          <Verdict testId="verdict-reproduced" label="failure reproduced" value={verdict.reproduced} />
          <Verdict testId="verdict-fixed" label="fix holds" value={verdict.fixed} />
          <Verdict testId="verdict-whys-bound" label="whys bound" value={verdict.whysBound} />
        </div>
      </header>
      {verdict.problems.length > 0 && (
        <ul className="card card-warn verdict-problems">
          {verdict.problems.map((problem, i) => (
            <li key={i} data-testid="verdict-problem">
              {problem}
            </li>
          ))}
        </ul>
      )}
      <div className="scenario-body">
        <div className="outcomes" data-testid="scenario-outcomes" data-count={result.runs.length}>
          {result.runs.map((run) => {
            const timeline = timelines.get(run.run)
            if (timeline === undefined) return null
            return (
              <RunOutcomePanel
                key={run.run}
                run={run}
                timeline={timeline}
                cursor={cursors[run.run] ?? run.trace.length}
                whysBySeq={whysByRun.get(run.run) ?? EMPTY}
                onSeek={(cursor) => seek(run.run, cursor)}
                onOpenInViews={() => openInViews(run)}
              />
            )
          })}
        </div>
        <WhysPanel whys={result.whys} active={activeWhy} onJump={jumpToWhy} />
      </div>
    </div>
  )
}

const EMPTY: ReadonlyMap<number, number[]> = new Map()

function groupWhys(whys: readonly WhyBinding[]): Map<string, Map<number, number[]>> {
  const byRun = new Map<string, Map<number, number[]>>()
  for (const why of whys) {
    if (why.seq === null) continue
    const bySeq = byRun.get(why.run) ?? new Map<number, number[]>()
    bySeq.set(why.seq, [...(bySeq.get(why.seq) ?? []), why.index])
    byRun.set(why.run, bySeq)
  }
  return byRun
}

function Verdict({
  testId,
  label,
  value
}: {
  testId: string
  label: string
  value: boolean | null
}): React.JSX.Element {
  const className = value === null ? 'badge' : value ? 'badge badge-ok' : 'badge badge-danger'
  return (
    <span className={className} data-testid={testId} data-value={String(value)}>
      {value === null ? '–' : value ? '✓' : '✗'} {label}
    </span>
  )
}
