import { useEffect } from 'react'
import type { Replay } from '../session/replay'
import { describeEvent, isBadEvent } from './describeEvent'
import { TimelineControls } from './TimelineControls'

/** Says what is shown instead of the live session, and moves through it one event at a time or by scrubbing. */
export function ReplayBanner({
  replay,
  onSeek,
  onExit
}: {
  replay: Replay
  onSeek: (cursor: number) => void
  onExit: () => void
}): React.JSX.Element {
  const current = replay.timeline.eventAt(replay.cursor)
  useStepKeys(replay.cursor, replay.timeline.length, onSeek)
  return (
    <div
      className="banner banner-replay"
      data-testid="replay-banner"
      data-name={replay.name}
      data-source={replay.source}
    >
      <span className="badge badge-live">read-only</span>
      <span>
        {replay.source === 'scenario' ? 'Scenario trace' : 'Recording'} <b className="mono">{replay.name}</b>{' '}
        ({replay.timeline.length} events
        {replay.tornLastLine ? ', last line cut off' : ''})
      </span>
      <TimelineControls
        testId="replay"
        position={replay.cursor}
        total={replay.timeline.length}
        onChange={onSeek}
      />
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
