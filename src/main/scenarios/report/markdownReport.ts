import type { InspectionEvent } from '../../../shared/inspection'
import type { RunOutcome, ScenarioRunResult } from '../../../shared/scenarioResult'
import { describeEvent } from './describeEvent'
import { chainDiagram, sequenceDiagram } from './mermaid'

const yesNo = (value: boolean | null, yes: string, no: string): string =>
  value === null ? 'not run' : value ? yes : no
const cell = (value: string): string => value.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const fence = (diagram: string): string[] => ['```mermaid', diagram, '```']
/** Ends text with one full stop, even when it quotes a message that has its own. */
const sentence = (text: string): string => (text.endsWith('.') ? text : `${text}.`)

/** The scenario run as a markdown report: verdict, five whys with their steps, what broke, expectations, diagrams. */
export function markdownReport(result: ScenarioRunResult): string {
  const { scenario, verdict } = result
  const lines = [
    `# ${scenario.title}`,
    '',
    `Scenario \`${scenario.id}\` from \`${scenario.source.report}\` (${scenario.source.title}). Seed ${result.seed}, mode ${result.mode}.`,
    '',
    scenario.summary,
    '',
    '## Verdict',
    '',
    `- Failure reproduced: ${yesNo(verdict.reproduced, 'yes', 'NO')}`,
    `- Fix fixes it: ${yesNo(verdict.fixed, 'yes', 'NO')}`,
    `- Whys bound to trace steps: ${result.whys.filter((why) => why.seq !== null).length} of ${result.whys.length}${verdict.whysBound ? '' : ' (SCENARIO ERROR)'}`,
    `- Evidence that tells the runs apart: ${result.whys.filter((why) => why.contrast && why.contrast.seq === null).length} of ${result.whys.filter((why) => why.contrast).length} whys checked against the other run${verdict.whysDiscriminate === false ? ' (SCENARIO ERROR)' : ''}`,
    `- Overall: ${verdict.ok ? 'the scenario behaves as it claims' : 'the scenario does NOT behave as it claims'}`,
    ...verdict.problems.map((problem) => `  - ${problem}`),
    '',
    ...diagramSection(result.runs),
    ...callSiteSection(result.runs),
    ...whySection(result),
    ...brokeSection(result.runs),
    ...expectationSection(result.runs)
  ]
  return lines.join('\n') + '\n'
}

function whySection(result: ScenarioRunResult): string[] {
  const lines = ['## Five whys', '']
  for (const why of result.whys) {
    lines.push(`### ${why.index}. ${why.question}`, '', why.answer, '')
    const run = result.runs.find((candidate) => candidate.run === why.run)
    const event = run?.trace.find((candidate) => candidate.seq === why.seq)
    if (event) {
      lines.push(
        `Evidence: step ${event.seq} of the ${why.run} trace: \`${event.kind}\`, ${sentence(describeEvent(event))}`,
        ''
      )
      if (why.contrast && why.contrast.seq === null)
        lines.push(`The ${why.contrast.run} trace has no such step.`, '')
    } else if (why.problem) lines.push(`Evidence: **not bound**. ${why.problem}`, '')
    else lines.push(`Evidence: in the ${why.run} trace, which this run did not make.`, '')
  }
  return lines
}

function brokeSection(runs: readonly RunOutcome[]): string[] {
  const header = `| | ${runs.map((run) => run.run).join(' | ')} |`
  const rule = `|---|${runs.map(() => '---').join('|')}|`
  // A row that reads zero in every run says nothing: it is left out.
  const row = (name: string, value: (run: RunOutcome) => string): string | null => {
    const values = runs.map((run) => value(run))
    if (values.every((text) => /\d/.test(text) && !/[1-9]/.test(text))) return null
    return `| ${name} | ${values.map(cell).join(' | ')} |`
  }
  const total = (run: RunOutcome): number =>
    run.modules.testsBlocked.length + run.modules.testsCollected.length
  const lines = [
    '## What broke',
    '',
    header,
    rule,
    row('start-up', (run) =>
      run.startup.state === 'ready' ? 'ready' : `failed in ${run.startup.failedPhase?.toUpperCase()}`
    ),
    row('modules failed to import', (run) => `${run.modules.failures.length}`),
    row('tests blocked', (run) => `${run.modules.testsBlocked.length} of ${total(run)}`),
    row(
      'users connected',
      (run) =>
        `${run.users.connected.length}${run.users.refused.length ? `, ${run.users.refused.length} refused` : ''}`
    ),
    row(
      'runs completed / refused',
      (run) => `${run.runs.completed} / ${run.runs.refused.length} of ${run.runs.started}`
    ),
    row('events emitted / delivered', (run) => `${run.tally.emitted} / ${run.tally.delivered}`),
    row(
      'events missing (runs, events)',
      (run) => `${run.tally.runsMissingEvents} runs, ${run.tally.eventsMissing} events`
    ),
    row('events leaked to other users', (run) => `${run.tally.leaks}`),
    row('warnings', (run) => `${run.tally.warnings}`),
    row('managers created / closed', (run) => `${run.tally.managersCreated} / ${run.tally.managersClosed}`),
    ''
  ].filter((line): line is string => line !== null)
  for (const run of runs) {
    const details: string[] = []
    if (run.startup.error)
      details.push(`- start-up error: \`${run.startup.error.type}: ${run.startup.error.message}\``)
    if (run.modules.testsBlocked.length > 0)
      details.push(`- tests blocked: ${run.modules.testsBlocked.map((name) => `\`${name}\``).join(', ')}`)
    const leaks = countBy(run.trace, 'isolation_violation', (event) =>
      event.kind === 'isolation_violation' ? `${event.owner_user_id} -> ${event.receiver_user_id}` : ''
    )
    if (leaks.length > 0) details.push(`- leaks (owner -> receiver): ${leaks.join(', ')}`)
    const warnings = countBy(run.trace, 'warning', (event) => (event.kind === 'warning' ? event.code : ''))
    if (warnings.length > 0) details.push(`- warnings: ${warnings.join(', ')}`)
    for (const event of run.trace)
      if (event.kind === 'contract_check' && !event.ok)
        details.push(
          `- contract \`${event.contract}\` broken${event.enforced ? '' : ' (not enforced)'}: ${event.findings.join(' ')}`
        )
    const failedTests = (run.testsRun ?? []).filter((test) => !test.passed)
    if (failedTests.length > 0)
      details.push(
        `- tests failed: ${failedTests.map((test) => `\`${test.name}\` (${test.detail})`).join(', ')}`
      )
    const refusals = [...new Set(run.runs.refused.map((refusal) => refusal.message))]
    if (refusals.length > 0)
      details.push(`- runs refused with: ${refusals.map((message) => `\`${message}\``).join(', ')}`)
    if (details.length > 0) lines.push(`**${run.run}**`, '', ...details, '')
  }
  return lines
}

function countBy(
  trace: readonly InspectionEvent[],
  kind: InspectionEvent['kind'],
  key: (event: InspectionEvent) => string
): string[] {
  const counts = new Map<string, number>()
  for (const event of trace)
    if (event.kind === kind) counts.set(key(event), (counts.get(key(event)) ?? 0) + 1)
  return [...counts].map(([name, count]) => `${name} x${count}`)
}

function expectationSection(runs: readonly RunOutcome[]): string[] {
  const lines = ['## Expectations', '']
  for (const run of runs) {
    lines.push(
      `### ${run.run}: ${run.title}`,
      '',
      '| | expectation | expected | found | steps |',
      '|---|---|---|---|---|'
    )
    for (const result of run.expectations) {
      const steps =
        result.evidence.length > 6
          ? `${result.evidence.slice(0, 6).join(', ')} and ${result.evidence.length - 6} more`
          : result.evidence.join(', ')
      lines.push(
        `| ${result.held ? 'held' : '**FAILED**'} | ${cell(result.label)} | ${cell(result.expected)} | ${cell(result.found)} | ${steps} |`
      )
    }
    lines.push('')
  }
  return lines
}

/** The seeds' "current failure against ideal state": each failing run's chain or flow, then the fixed flow. */
function diagramSection(runs: readonly RunOutcome[]): string[] {
  const lines = [
    '## Current failure against ideal state',
    '',
    'Drawn from the recorded traces of this run; sequence diagrams show deliveries in the order they arrived.',
    ''
  ]
  for (const run of runs) {
    const chain = run.mode === 'failure' ? chainDiagram(run) : null
    if (chain) lines.push(`### Current failure (${run.run}): the failing chain`, '', ...fence(chain), '')
    else if (run.mode === 'failure')
      lines.push(`### Current failure (${run.run}): the failing flow`, '', ...fence(sequenceDiagram(run)), '')
    else lines.push(`### Ideal state (${run.run}): the fixed flow`, '', ...fence(sequenceDiagram(run)), '')
  }
  return lines
}

/** The seeds' "files and call sites": every site the traces name, with what happened there in each run. */
function callSiteSection(runs: readonly RunOutcome[]): string[] {
  const rows = new Map<string, string>()
  for (const run of runs) {
    for (const event of run.trace) {
      const site =
        event.kind === 'manager_rejected' || event.kind === 'manager_created'
          ? event.caller
          : event.kind === 'backend_call'
            ? event.site
            : event.kind === 'phase_failed'
              ? event.error.site
              : undefined
      if (!site || site === 'websocket_endpoint') continue
      const key = `${site}|${run.run}`
      if (!rows.has(key)) rows.set(key, `| \`${cell(site)}\` | ${run.run} | ${cell(describeEvent(event))} |`)
    }
  }
  if (rows.size === 0) return []
  return [
    '## Files and call sites',
    '',
    '| site | run | what happened there first |',
    '|---|---|---|',
    ...rows.values(),
    ''
  ]
}
