import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { benchArgs } from './lib/args'
import type { CaseResult } from './lib/result'

/**
 * `npm run bench [-- --quick] [-- fanout scale ...]`: every suite in its own process (one suite's heap and
 * sockets never weigh on the next), then one table and bench/results.json.
 */
const SUITES = [
  'fanout',
  'scale',
  'connect',
  'ui',
  'recording',
  'longrun',
  'scan',
  'observe',
  'target'
] as const
/**
 * V8 flags every suite's process starts with, as the CLI's launcher starts it (README, Benchmarks). Both targets of
 * a case share the process, so the baseline runs with them too. Alone: `npx tsx <flags> bench/<suite>.ts`.
 */
const NODE_FLAGS = ['--no-allocation-site-pretenuring']
const args = benchArgs()
const only = process.argv.slice(2).filter((arg) => (SUITES as readonly string[]).includes(arg))
const suites = only.length > 0 ? only : [...SUITES]
const dir = mkdtempSync(join(tmpdir(), 'si-bench-results-'))
const started = new Date()
const loadBefore = loadavg()

if (suites.includes('ui') || suites.includes('recording'))
  execFileSync('npm', ['run', '-s', 'build:web'], { stdio: 'ignore' })
const results: CaseResult[] = []
for (const suite of suites) {
  const out = join(dir, `${suite}.json`)
  const flags = [
    ...(args.quick ? ['--quick'] : []),
    '--json',
    out,
    ...(suite === 'ui' || suite === 'recording' ? ['--no-build'] : [])
  ]
  const argv = [...NODE_FLAGS, '--import', 'tsx', `bench/${suite}.ts`, ...flags]
  const child = spawnSync(process.execPath, argv, { stdio: ['ignore', 'inherit', 'inherit'] })
  if (child.status !== 0) {
    console.log(`MISS ${suite}: the suite exited with ${child.status ?? child.signal}`)
    continue
  }
  results.push(...(JSON.parse(readFileSync(out, 'utf8')) as CaseResult[]))
}
rmSync(dir, { recursive: true, force: true })

const machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  loadAverageBefore: loadBefore.map((value) => Number(value.toFixed(2))),
  loadAverageAfter: loadavg().map((value) => Number(value.toFixed(2)))
}
const fmt = (value: number | null): string =>
  value === null ? '-' : Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2)
console.log(
  `\n${machine.cpus} x ${machine.model}, ${machine.memoryGiB} GiB, Node ${machine.node}, load ` +
    `${machine.loadAverageBefore.join(' ')} -> ${machine.loadAverageAfter.join(' ')}${args.quick ? ', --quick' : ''}`
)
// `bare` sends with our FrameWriter (the ratio's baseline); `bare with ws.send` is for information.
console.log('| case | metric | ours | bare | bare with ws.send | ratio | target | |')
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |')
for (const r of results)
  console.log(
    `| ${r.suite}/${r.case} | ${r.metric} | ${fmt(r.pipeline)} ${r.unit} | ${fmt(r.bare)} | ` +
      `${r.bareWsSend === undefined ? '' : fmt(r.bareWsSend)} | ` +
      `${r.ratio === null ? '-' : r.ratio.toFixed(2)} | ${r.target} | ${r.pass ? 'pass' : 'MISS'} |`
  )
writeFileSync(
  'bench/results.json',
  JSON.stringify({ date: started.toISOString(), quick: args.quick, machine, results }, null, 2) + '\n'
)
process.exit(0)
