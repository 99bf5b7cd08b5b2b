import { readFileSync } from 'node:fs'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { parseTargetFile } from '../../src/main/target/loadTargetFile'
import { prepareTarget } from '../../src/main/target/prepareTarget'
import { runTarget } from '../../src/main/target/runTarget'
import { targetExitCode, type TargetReport } from '../../src/main/target/targetReport'
import type { InspectionEvent, InspectionKind } from '../../src/shared/inspection'
import { startSampleBackend, type SampleBug } from '../fixtures/sampleBackend/sampleBackend'

export const EXAMPLE_PATH = new URL('../../examples/plain-json.target.json', import.meta.url).pathname

/** The example target file, with changes applied to its JSON (tests shorten timeouts, break auth, ...). */
export function exampleTarget(change: (json: Record<string, unknown>) => void = () => {}) {
  const json = JSON.parse(readFileSync(EXAMPLE_PATH, 'utf8')) as Record<string, unknown>
  change(json)
  return parseTargetFile('example', JSON.stringify(json))
}

export interface TargetOutcome {
  report: TargetReport
  exitCode: number
  events: InspectionEvent[]
  of<K extends InspectionKind>(kind: K): Array<Extract<InspectionEvent, { kind: K }>>
}

/** Runs target mode with the example file against a fresh sample backend with `bug`, then stops the backend. */
export async function targetSampleBackend(
  bug: SampleBug | null,
  options: {
    users?: number
    runs?: number
    change?: (json: Record<string, unknown>) => void
    url?: string
    /** Connect to /login (auth by first message) instead of /ws. */
    login?: boolean
  } = {}
): Promise<TargetOutcome> {
  const backend = await startSampleBackend({ bug })
  try {
    const file = exampleTarget(options.change)
    const base = options.login ? backend.url.replace(/\/ws$/, '/login') : backend.url
    const url = options.url ?? `${base}?room={{room}}`
    const users = prepareTarget('example', file, { users: options.users ?? 3, url })
    const bus = new InspectionBus()
    const report = await runTarget(file, users, { runs: options.runs ?? 2, bus, url })
    const events = bus.snapshot()
    return {
      report,
      exitCode: targetExitCode(report),
      events,
      of: <K extends InspectionKind>(kind: K) =>
        events.filter((event): event is Extract<InspectionEvent, { kind: K }> => event.kind === kind)
    }
  } finally {
    await backend.close()
  }
}
