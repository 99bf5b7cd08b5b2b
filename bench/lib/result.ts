import { writeFileSync } from 'node:fs'
import type { BenchArgs } from './args'

/** One case: what we measured, what the bare server measured under the same load, and whether the target held. */
export interface CaseResult {
  suite: string
  case: string
  metric: string
  unit: string
  pipeline: number | null
  /** The bare server sending with our FrameWriter, as the runtime does: the baseline of the ratio. */
  bare: number | null
  /** The bare server sending with ws.send, where a case measures it: for information, not in the ratio. */
  bareWsSend?: number | null
  /** pipeline / bare, or null when there is no baseline. */
  ratio: number | null
  target: string
  pass: boolean
  notes: string
}

export function ratioOf(pipeline: number | null, bare: number | null): number | null {
  return pipeline === null || bare === null || bare === 0 ? null : pipeline / bare
}

const fmt = (value: number | null): string =>
  value === null ? '-' : Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2)

/** The bare server's figure with ws.send, where the case has one. */
const withWsSend = (result: CaseResult): string =>
  result.bareWsSend === undefined ? '' : `; bare with ws.send ${fmt(result.bareWsSend)}`

/** The one printed line per case. */
export function caseLine(result: CaseResult): string {
  const ratio = result.ratio === null ? '' : ` ratio ${result.ratio.toFixed(2)}`
  return (
    `${result.pass ? 'PASS' : 'MISS'} ${result.suite}/${result.case}: ${result.metric} ` +
    `${fmt(result.pipeline)} ${result.unit} (bare ${fmt(result.bare)}${withWsSend(result)})${ratio}; ` +
    `target ${result.target}` +
    (result.notes ? `; ${result.notes}` : '')
  )
}

/** Prints each case and, when run from bench/run.ts, writes them where it asked. */
export function report(args: BenchArgs, results: CaseResult[]): void {
  if (args.jsonOut) writeFileSync(args.jsonOut, JSON.stringify(results, null, 2))
}

/** Runs a suite's cases one after another, prints each one's line, hands them all to report(), and exits. */
export async function runCases(
  args: BenchArgs,
  cases: ReadonlyArray<() => Promise<CaseResult>>
): Promise<never> {
  const results: CaseResult[] = []
  for (const run of cases) {
    const result = await run()
    console.log(caseLine(result))
    results.push(result)
  }
  report(args, results)
  process.exit(0)
}
