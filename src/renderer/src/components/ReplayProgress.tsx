import type { TimelineProgress } from '../session/replayTimeline'

const MB = 1024 * 1024

/** How far a recording file has been read, and the first bad line if reading stopped at one. */
export function ReplayProgress({ progress }: { progress: TimelineProgress }): React.JSX.Element | null {
  const { loading, failure, bytesRead, totalBytes, events } = progress
  return (
    <>
      {loading && bytesRead !== null && totalBytes !== null && (
        <span
          className="replay-loading mono muted"
          data-testid="replay-loading"
          data-bytes-read={bytesRead}
          data-total-bytes={totalBytes}
          data-events={events}
        >
          <progress max={totalBytes} value={bytesRead} /> reading {(bytesRead / MB).toFixed(1)} of{' '}
          {(totalBytes / MB).toFixed(1)} MB, {events} events
        </span>
      )}
      {failure !== null && (
        <span className="text-danger" data-testid="replay-failure" data-line={failure.line ?? ''}>
          {failure.line === null ? failure.problem : `line ${failure.line}: ${failure.problem}`} (the {events}{' '}
          events before it are shown)
        </span>
      )}
    </>
  )
}
