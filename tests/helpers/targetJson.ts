import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { parseTargetFile } from '../../src/main/target/loadTargetFile'
import { prepareTarget } from '../../src/main/target/prepareTarget'
import { runTarget } from '../../src/main/target/runTarget'
import { targetExitCode, type TargetReport } from '../../src/main/target/targetReport'
import type { InspectionEvent, InspectionKind } from '../../src/shared/inspection'

export interface JsonTargetOutcome {
  report: TargetReport
  exitCode: number
  of<K extends InspectionKind>(kind: K): Array<Extract<InspectionEvent, { kind: K }>>
}

/** Runs target mode with a target file given as JSON, as the CLI would (validated, prepared, run, judged). */
export async function runTargetJson(
  json: Record<string, unknown>,
  options: { users: number; runs: number; baseDir?: string }
): Promise<JsonTargetOutcome> {
  const file = parseTargetFile('test', JSON.stringify(json))
  const users = prepareTarget('test', file, {
    users: options.users,
    ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir })
  })
  const bus = new InspectionBus()
  const report = await runTarget(file, users, { runs: options.runs, bus })
  const events = bus.snapshot()
  return {
    report,
    exitCode: targetExitCode(report),
    of: <K extends InspectionKind>(kind: K) =>
      events.filter((event): event is Extract<InspectionEvent, { kind: K }> => event.kind === kind)
  }
}
