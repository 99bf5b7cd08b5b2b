import { benchArgs } from './lib/args'
import { LoadSession } from './lib/loadSession'
import { settledMemory } from './lib/memory'
import { caseLine, ratioOf, report, type CaseResult } from './lib/result'
import { startBare, startPipeline, type Target } from './lib/targets'

/** Many users at once: every one connects, every event reaches its own user, memory per connection. */
const args = benchArgs()
const USERS = args.quick ? 2_000 : 5_000

interface Measured {
  bytesPerConnection: number
  connected: number
  losses: number
  violations: number
  runsMissing: number
  connectMs: number
}

async function measure(start: () => Promise<Target>): Promise<Measured> {
  const target = await start()
  const before = settledMemory()
  const session = await LoadSession.open(target, USERS)
  const after = settledMemory()
  await session.saturate(1, USERS * 5)
  const losses = session.expected - session.delivered
  await session.close()
  const verdict = await target.finish()
  return {
    bytesPerConnection: (after - before) / session.connected.length,
    connected: session.connected.length,
    losses,
    violations: verdict.violations,
    runsMissing: verdict.runsMissing,
    connectMs: session.connectMs
  }
}

const bare = await measure(startBare)
const pipeline = await measure(startPipeline)
const ratio = ratioOf(pipeline.bytesPerConnection, bare.bytesPerConnection)
const result: CaseResult = {
  suite: 'scale',
  case: `${USERS}-users`,
  metric: 'memory per connection (main thread heap + external)',
  unit: 'B',
  pipeline: pipeline.bytesPerConnection,
  bare: bare.bytesPerConnection,
  ratio,
  target: 'all connect, every event to its own user, <= 2 x bare',
  pass:
    ratio !== null &&
    ratio <= 2 &&
    pipeline.connected === USERS &&
    pipeline.losses === 0 &&
    pipeline.violations === 0 &&
    pipeline.runsMissing === 0,
  notes:
    `${pipeline.connected}/${USERS} connected in ${pipeline.connectMs.toFixed(0)} ms ` +
    `(bare ${bare.connected} in ${bare.connectMs.toFixed(0)} ms); ${pipeline.violations} violations, ` +
    `${pipeline.losses} lost, ${pipeline.runsMissing} runs missing events`
}
console.log(caseLine(result))
report(args, [result])
process.exit(0)
