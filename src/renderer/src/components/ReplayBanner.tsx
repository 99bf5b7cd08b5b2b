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
