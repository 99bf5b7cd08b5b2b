import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createPythonParser } from '../src/main/scan/python/pythonParser'
import { scanFolder } from '../src/main/scan/scanFolder'
import { readSourceFiles } from '../src/main/scan/sourceFiles'
import { benchArgs } from './lib/args'
import { writePythonTree } from './lib/pythonTree'
import { ratioOf, runCases, type CaseResult } from './lib/result'

/**
 * `scan` on a generated code base of 5,000 Python modules: the whole scan (read, parse, import graph, import-time
 * analysis, chains) against reading and parsing the same files with the same parser in the same process, and the
 * scan's peak memory in a process of its own.
 */
const MODULES = 5_000

/** Wall and process CPU time of one run; CPU time holds steadier than wall time on a shared machine. */
interface Timing {
  wallMs: number
  cpuMs: number
}

async function timed<T>(run: () => Promise<T>): Promise<{ timing: Timing; value: T }> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const value = await run()
  const used = process.cpuUsage(cpu)
  return { timing: { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 }, value }
}

async function parseOnly(root: string): Promise<Timing> {
  const { timing } = await timed(async () => {
    const sources = await readSourceFiles(root, new Set(['python']))
    const parser = await createPythonParser()
    for (const source of sources) parser.parse(source.text)?.delete()
    parser.delete()
  })
  return timing
}

async function scan(root: string): Promise<{ timing: Timing; findings: number }> {
  const { timing, value } = await timed(() =>
    scanFolder({ root, language: 'python', entries: [], calls: [], startup: [] })
  )
  return { timing, findings: value.report.findings.length }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN

/** Run in a child process: one scan, then its peak resident memory. */
async function memoryChild(root: string, out: string): Promise<void> {
  const { findings } = await scan(root)
  const peakRss = process.resourceUsage().maxRSS * 1024
  writeFileSync(out, JSON.stringify({ peakRss, findings }))
}

async function main(): Promise<void> {
  const args = benchArgs()
  const root = mkdtempSync(join(tmpdir(), 'si-bench-scan-'))
  const tree = writePythonTree(root, MODULES)
  const rounds = args.quick ? 3 : 7
  const scans: Timing[] = []
  const parses: Timing[] = []
  let findings = 0
  // One of each first, unmeasured: the grammar's wasm, the code's JIT and the page cache warm up.
  await parseOnly(root)
  await scan(root)
  for (let round = 0; round < rounds; round++) {
    parses.push(await parseOnly(root))
    const scanned = await scan(root)
    scans.push(scanned.timing)
    findings = scanned.findings
  }
  const scanMedian = median(scans.map((timing) => timing.cpuMs))
  const parseMedian = median(parses.map((timing) => timing.cpuMs))
  const ratio = ratioOf(scanMedian, parseMedian)
  const wallRatio = ratioOf(
    median(scans.map((timing) => timing.wallMs)),
    median(parses.map((timing) => timing.wallMs))
  )
  const list = (timings: Timing[]) => timings.map((timing) => timing.cpuMs.toFixed(0)).join(', ')

  const work = mkdtempSync(join(tmpdir(), 'si-bench-scan-memory-'))
  mkdirSync(work, { recursive: true })
  const memoryOut = join(work, 'memory.json')
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bench/scan.ts', '--memory-child', root, memoryOut],
    {
      stdio: ['ignore', 'inherit', 'inherit']
    }
  )
  const memory =
    child.status === 0
      ? (JSON.parse((await import('node:fs')).readFileSync(memoryOut, 'utf8')) as { peakRss: number })
      : { peakRss: NaN }
  rmSync(work, { recursive: true, force: true })
  rmSync(root, { recursive: true, force: true })

  const timeCase = async (): Promise<CaseResult> => ({
    suite: 'scan',
    case: `python-${MODULES}-modules`,
    metric: `scan CPU time against reading and parsing the same ${tree.files} files (median of ${rounds})`,
    unit: 'ms',
    pipeline: scanMedian,
    bare: parseMedian,
    ratio,
    target: '≤ 1.5 × parse-only, every planted finding found',
    pass: ratio !== null && ratio <= 1.5 && findings === tree.planted,
    notes:
      `${findings} findings (${tree.planted} planted); CPU ms, scan ${list(scans)}; parse-only ${list(parses)}; ` +
      `wall-time ratio ${wallRatio?.toFixed(2) ?? '-'}`
  })
  const memoryCase = async (): Promise<CaseResult> => ({
    suite: 'scan',
    case: `python-${MODULES}-modules-memory`,
    metric: 'peak resident memory of a process that runs one scan',
    unit: 'MB',
    pipeline: memory.peakRss / 2 ** 20,
    bare: null,
    ratio: null,
    target: '< 1024 MB',
    pass: memory.peakRss / 2 ** 20 < 1024,
    notes: 'maxRSS of a child process: Node, the grammar, every tree while it is walked, the module records'
  })
  await runCases(args, [timeCase, memoryCase])
}

const childAt = process.argv.indexOf('--memory-child')
if (childAt >= 0) await memoryChild(process.argv[childAt + 1] as string, process.argv[childAt + 2] as string)
else await main()
