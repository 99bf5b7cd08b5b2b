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

/** How many times a scan is repeated when the tool's own CSV comes out torn. */
const ATTEMPTS = 3

/**
 * The findings with their severities. The CSV carries severities but the tool writes it with racing writes, so
 * a row can come out torn or missing; the SARIF is one write and lists the same findings. A torn or disagreeing
 * CSV is the tool's race, not a finding, so the scan is repeated (saying why) rather than failing the run; a HIGH
 * finding parses fine and is never retried away.
 */
async function consistentFindings(app: string, dir: string, version: string): Promise<Finding[]> {
  let problem = ''
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const [csv, sarif] = await Promise.all([
      scan(app, join(dir, `report-${attempt}.csv`), version),
      scan(app, join(dir, `report-${attempt}.sarif`), version)
    ])
    try {
      const findings: Finding[] = parseElectronegativityCsv(csv)
      const mismatch = sameChecks(findings, parseElectronegativitySarif(sarif))
      if (!mismatch) return findings
      problem = `the CSV and SARIF reports disagree (${mismatch})`
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error)
    }
    console.error(`electronegativity: attempt ${attempt} of ${ATTEMPTS}: ${problem}`)
  }
  throw new Error(`electronegativity: no consistent report in ${ATTEMPTS} attempts; last: ${problem}`)
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'))
  try {
    const app = join(dir, 'app')
    for (const target of TARGETS) cpSync(target, join(app, target), { recursive: true })
    const version = electronVersion()
    const findings = await consistentFindings(app, dir, version)
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
