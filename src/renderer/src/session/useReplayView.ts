import { useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { replayCursor, type Replay } from './replay'
import type { ReplayTimeline, TimelineProgress, TimelineView } from './replayTimeline'

const NOTHING: TimelineProgress = {
  events: 0,
  totalBytes: null,
  bytesRead: null,
  loading: false,
  tornLastLine: false,
  failure: null
}
const noSubscription = (): (() => void) => () => {}

/** The timeline's progress, re-rendering as a file is read. */
export function useTimelineProgress(timeline: ReplayTimeline | null): TimelineProgress {
  return useSyncExternalStore(
    timeline?.subscribe.bind(timeline) ?? noSubscription,
    () => timeline?.progress() ?? NOTHING
  )
}

interface Wanted {
  timeline: ReplayTimeline
  cursor: number
  /** The cursor follows the end of a file still being read. */
  following: boolean
}

/**
 * The view at the replay's cursor. Views arrive asynchronously: the last one stays shown until the next is ready,
 * and only one is asked for at a time (a scrub asks for the latest cursor once the previous answer is in), so
 * dragging the scrubber never queues a backlog.
 */
export function useReplayView(replay: Replay | null, progress: TimelineProgress): TimelineView | null {
  const [shown, setShown] = useState<{ timeline: ReplayTimeline; view: TimelineView } | null>(null)
  const wanted = useRef<Wanted | null>(null)
  const asking = useRef(false)
  const timeline = replay?.timeline ?? null
  const cursor = replay === null ? 0 : replayCursor(replay, progress.events)
  // Following the end of a file still being read: a new end is worth a view only every few seconds.
  const following = replay?.cursor === 'end' && progress.loading
  const lastFollowed = useRef<{ timeline: ReplayTimeline; at: number } | null>(null)

  useEffect(() => {
    wanted.current = timeline === null ? null : { timeline, cursor, following }
    if (asking.current) return
    asking.current = true
    void (async () => {
      let answered: Wanted | null = null
      for (let asked = wanted.current; asked !== null && !same(asked, answered); asked = wanted.current) {
        const last = lastFollowed.current
        if (
          asked.following &&
          last?.timeline === asked.timeline &&
          performance.now() - last.at < FOLLOW_EVERY_MS
        ) {
          break // the next progress after FOLLOW_EVERY_MS asks again
        }
        if (asked.following) lastFollowed.current = { timeline: asked.timeline, at: performance.now() }
        try {
          const view = await asked.timeline.viewAt(asked.cursor)
          if (wanted.current?.timeline === asked.timeline) setShown({ timeline: asked.timeline, view })
        } catch {
          // The timeline was closed while this view was on its way: nothing to show.
        }
        answered = asked
      }
      asking.current = false
    })()
  }, [timeline, cursor, following])

  return shown !== null && shown.timeline === timeline ? shown.view : null
}

/** While a file is read, the views follow its end this often: each view costs the indexing worker a state's clone. */
const FOLLOW_EVERY_MS = 3_000

function same(a: Wanted, b: Wanted | null): boolean {
  return b !== null && a.timeline === b.timeline && a.cursor === b.cursor
}
