import type { InspectionBus } from './inspectionBus'

/** Every line a bus emits while it listens, in order, however many: see collectLines. */
export interface LineCollector {
  /** The lines heard so far (the array itself: no copy). */
  readonly lines: readonly string[]
  stop(): void
}

/**
 * Keeps the whole stream from now on, for a run that is read back in full once it ends (a scenario's trace, a
 * target run the app replays). The bus's history is a bounded ring that drops its oldest lines when full; a run
 * read back through it would lose its beginning without a word, so such a run collects its lines instead and its
 * bus keeps only a small history.
 */
export function collectLines(bus: InspectionBus): LineCollector {
  const lines: string[] = []
  const stop = bus.subscribeLines((line) => lines.push(line))
  return { lines, stop: () => void stop() }
}
