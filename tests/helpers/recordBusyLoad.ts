/**
 * Child process for the kill -9 test: records a busy runtime to the NDJSON file named in argv[2] and never stops
 * on its own. Prints `recording` once events are flowing; the parent kills it with SIGKILL mid-write.
 */
import { Recorder } from '../../src/main/runtime/inspection/recorder'
import { Runtime } from '../../src/main/runtime/runtime'
import { InProcessUserPool } from '../../src/main/runtime/users/inProcessUserPool'

const path = process.argv[2]
if (!path) throw new Error('usage: recordBusyLoad.ts <recording.ndjson>')
const runtime = await Runtime.start({ seed: 31, missingGraceMs: 60_000 })
new Recorder(runtime.bus, path, { includeHistory: true })
const pool = new InProcessUserPool(runtime.auditor.recordDelivery.bind(runtime.auditor))
const users = Array.from({ length: 20 }, () => runtime.ids.userId())
await pool.connect(users.map((userId) => ({ userId, url: runtime.userUrl(userId) })))
setInterval(() => pool.startRuns(5), 5)
process.stdout.write('recording\n')
