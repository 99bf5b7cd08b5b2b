import { useEffect } from 'react'
import type { Replay } from '../session/replay'
import type { TimelineProgress, TimelineView } from '../session/replayTimeline'
import { describeEvent, isBadEvent } from './describeEvent'
import { ReplayProgress } from './ReplayProgress'
import { TimelineControls } from './TimelineControls'

/** Says what is shown instead of the live session, and moves through it one event at a time or by scrubbing. */
export function ReplayBanner({
  replay,
  cursor,
  progress,
  view,
  onSeek,
  onExit
}: {
  replay: Replay
  /** Events applied, as the controls show it; `view` catches up with it asynchronously. */
  cursor: number
  progress: TimelineProgress
  /** What the views show now, or null before the first view is ready. */
  view: TimelineView | null
  onSeek: (cursor: number) => void
  onExit: () => void
}): React.JSX.Element {
  const total = progress.events
  const current = view?.event ?? null
  useStepKeys(cursor, total, onSeek)
  return (
    <div
      className="banner banner-replay"
      data-testid="replay-banner"
      data-name={replay.name}
      data-source={replay.source}
      data-loading={progress.loading}
      data-shown-position={view?.cursor ?? ''}
    >
      <span className="badge badge-live">read-only</span>
      <span>
        {replay.source === 'scenario' ? 'Scenario trace' : 'Recording'} <b className="mono">{replay.name}</b>{' '}
        ({total} events
        {progress.tornLastLine ? ', last line cut off' : ''})
      </span>
      <ReplayProgress progress={progress} />
      <TimelineControls testId="replay" position={cursor} total={total} onChange={onSeek} />
      <span
        className={current !== null && isBadEvent(current) ? 'replay-current text-danger' : 'replay-current'}
        data-testid="replay-current"
        data-seq={current?.seq ?? ''}
        data-kind={current?.kind ?? ''}
      >
        {current === null ? 'before the first event' : `#${current.seq} ${describeEvent(current)}`}
      </span>
      <button type="button" data-testid="replay-exit-button" onClick={onExit}>
        Back to live
      </button>
    </div>
  )
}

/** ← and → step the replay from anywhere but a text field, so stepping does not need the mouse. */
function useStepKeys(cursor: number, total: number, onSeek: (cursor: number) => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target
      if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return
      if (event.altKey || event.ctrlKey || event.metaKey) return
      if (event.key === 'ArrowRight' && cursor < total) onSeek(cursor + 1)
      else if (event.key === 'ArrowLeft' && cursor > 0) onSeek(cursor - 1)
      else return
      event.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [cursor, total, onSeek])
}
