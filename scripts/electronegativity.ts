/**
 * `npm run test:security`: Electronegativity over the main process and the preload, failing on any HIGH finding.
 *
 * Both are scanned as one app (copied side by side), because its global checks are app-wide: navigation limits
 * and the permission handler live in main, and a preload scanned alone would be reported as lacking them. Offline
 * it cannot fetch translations or Electron's release list; it says so and carries on, which is fine.
 */
import { spawn } from 'node:child_process'
import { closeSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  parseElectronegativityCsv,
  parseElectronegativitySarif,
  sameChecks,
  type Finding
} from './electronegativityReport'

const TARGETS = ['src/main', 'src/preload']
const BIN = join(process.cwd(), 'node_modules', '.bin', 'electronegativity')

function electronVersion(): string {
  const manifest = JSON.parse(readFileSync(join('node_modules', 'electron', 'package.json'), 'utf8')) as {
    version: string
  }
  return manifest.version
}

/** Output goes to a file, not a pipe: the tool ends with process.exit, which can cut a pipe short. */
function run(args: string[], log: string): Promise<{ code: number | null; output: string }> {
  const fd = openSync(log, 'w')
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(BIN, args, { stdio: ['ignore', fd, fd] })
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, output: readFileSync(log, 'utf8') }))
  }).finally(() => closeSync(fd))
}

async function scan(app: string, report: string, version: string): Promise<string> {
  const { code, output } = await run(
    ['-i', app, '-o', report, '-r', '-v', 'false', '-e', version],
    `${report}.log`
  )
  const problem = (what: string): Error => new Error(`electronegativity (${report}): ${what}\n${output}`)
  if (code !== 0) throw problem(`expected exit code 0, found ${code}`)
  // A file it cannot parse is skipped with only a console line: that would hide its findings.
  if (/Error parsing/.test(output)) throw problem('a file could not be parsed, so it was not checked')
  if (!existsSync(report)) throw problem(`expected a report at ${report}, found none`)
  return readFileSync(report, 'utf8')
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'))
  try {
    const app = join(dir, 'app')
    for (const target of TARGETS) cpSync(target, join(app, target), { recursive: true })
    const version = electronVersion()
    // The CSV carries severities but is written by two racing writes; the SARIF is one write and lists the
    // same findings, so it proves no CSV row went missing.
    const [csv, sarif] = await Promise.all([
      scan(app, join(dir, 'report.csv'), version),
      scan(app, join(dir, 'report.sarif'), version)
    ])
    const findings: Finding[] = parseElectronegativityCsv(csv)
    const mismatch = sameChecks(findings, parseElectronegativitySarif(sarif))
    if (mismatch)
      throw new Error(`electronegativity: the CSV and SARIF reports disagree (${mismatch}); re-run`)
    console.log(
      `electronegativity ${TARGETS.join(' + ')} (Electron ${version}): ${findings.length} finding(s)`
    )
    for (const finding of findings) {
      console.log(
        `  ${finding.severity} ${finding.confidence} ${finding.check} ${finding.file}:${finding.location} ${finding.description}`
      )
    }
    const high = findings.filter((finding) => finding.severity === 'HIGH')
    if (high.length > 0) {
      console.error(`electronegativity: ${high.length} HIGH finding(s); fix them (see docs/security.md).`)
      return 1
    }
    console.log('electronegativity: no HIGH findings')
    return 0
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error))
    process.exit(1)
  }
)
