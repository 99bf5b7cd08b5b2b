import type { ScanChain, ScanReport } from '../../../shared/scanReport'
import { shortNames } from './shortNames'

/** Chains printed per finding; JSON and SARIF carry them all. */
const CHAINS_SHOWN = 10

/** The report for people: each finding with its code and chains (shortest first), then a summary. */
export function textReport(report: ScanReport, files: readonly string[]): string[] {
  const short = shortNames(files)
  const lines: string[] = []
  for (const finding of report.findings) {
    const what =
      finding.kind === 'instance' ? `${finding.call}() instance (holds connections)` : `${finding.call}()`
    const when = finding.phase === 'import' ? 'runs at import time' : 'runs at start-up'
    lines.push(`${finding.file}:${finding.line}  ${what}  ${when}`, `    ${finding.code}`)
    if (finding.chains.length === 0) lines.push('    no entry point loads it')
    for (const chain of finding.chains.slice(0, CHAINS_SHOWN)) lines.push(`    ${chainText(chain, short)}`)
    if (finding.chains.length > CHAINS_SHOWN)
      lines.push(`    … and ${finding.chains.length - CHAINS_SHOWN} more entry points (see --format json)`)
    lines.push('')
  }
  for (const skipped of report.skipped)
    lines.push(`skipped ${skipped.file}:${skipped.line}:${skipped.column}: ${skipped.message}`)
  const atImport = report.findings.filter((finding) => finding.phase === 'import').length
  lines.push(
    `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} ` +
      `(${atImport} at import time, ${report.findings.length - atImport} at start-up) in ` +
      `${report.filesScanned} files; ${report.entries.length} entry points` +
      (report.skipped.length > 0 ? `; ${report.skipped.length} skipped (do not parse)` : '')
  )
  return lines
}

/** `test_x.py → a.py → b.py:14`, as report 000 writes its import chain; calls into functions as `b.py:20 f()`. */
export function chainText(chain: ScanChain, short: (file: string) => string): string {
  const parts: string[] = []
  let previousModuleStep: string | null = null
  for (const step of chain.steps) {
    if (step.kind === 'entry' || step.kind === 'import') {
      parts.push(short(step.file))
      previousModuleStep = step.file
      continue
    }
    // A call or the finding in the file just named replaces that name with the precise line.
    if (previousModuleStep === step.file) parts.pop()
    previousModuleStep = null
    if (step.kind === 'startup') parts.push(`${step.name ?? short(step.file)}()`)
    else if (step.kind === 'call') parts.push(`${short(step.file)}:${step.line} ${step.name}()`)
    else parts.push(`${short(step.file)}:${step.line}`)
  }
  return parts.join(' → ')
}
