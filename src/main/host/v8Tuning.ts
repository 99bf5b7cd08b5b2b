import { setFlagsFromString } from 'node:v8'

/**
 * V8 settings for a process that hosts the runtime (the Electron main process, the CLI, the benchmarks). They are
 * process-wide and also reach the simulated users' worker thread, so the host applies them once, before it starts
 * a runtime; the runtime itself never touches process settings.
 *
 * `--no-allocation-site-pretenuring`: V8 watches each allocation site and, when nearly all of its objects outlive a
 * young collection, allocates that site's objects straight in the old generation from then on. A burst (a
 * saturated wave of runs, a worker judging 500 deliveries in one turn) keeps per-event objects alive across one
 * collection, and the decision sticks after the burst: in the paced bench, the users' worker then promoted about
 * 1.4 MB of dead events every 300 ms and ran a full collection every second, and its 2–4 ms pauses were the
 * tail of delivery latency (p99 2.6–3.3 ms, 0.9–1.7 ms without). The runtime's per-event objects all die young.
 */
export const RUNTIME_V8_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring']

export function tuneV8ForRuntime(): void {
  for (const flag of RUNTIME_V8_FLAGS) setFlagsFromString(flag)
}
