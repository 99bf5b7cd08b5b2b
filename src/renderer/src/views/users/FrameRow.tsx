import { memo } from 'react'
import type { FrameLaneEntry } from '../../store'

/**
 * Observe mode: one frame a user's client received, as a lane row: its size and the start of its text, red and
 * naming the owner when observe flagged it as another user's (by owner id or canary); its owner id, when it
 * read one, is in the title and data-owner.
 */
function FrameRowView({
  entry,
  top,
  height
}: {
  entry: FrameLaneEntry
  top: number
  height: number
}): React.JSX.Element {
  const owners = entry.owners.join(', ')
  const size = entry.bytes === null ? 'leak' : `↓ ${formatSize(entry.bytes)}`
  return (
    <div
      className={entry.violation ? 'lane-event lane-frame is-violation' : 'lane-event lane-frame'}
      style={{ transform: `translateY(${top}px)`, height }}
      data-testid="lane-event"
      data-kind="frame"
      data-direction="server_to_client"
      data-bytes={entry.bytes ?? ''}
      data-owner={entry.violation ? entry.owners.join(' ') : (entry.owner ?? '')}
      data-violation={entry.violation}
      data-seq={entry.seq}
      data-connection-id={entry.connection_id}
      title={`${entry.connection_id} · seq ${entry.seq}${entry.violation ? ` · frame of ${owners}` : entry.owner !== null ? ` · owner ${entry.owner}` : ''}`}
    >
      <span className="type">{size}</span>
      <span className="frame-excerpt">{entry.binary ? 'binary' : entry.excerpt}</span>
      {entry.violation && <span className="owner">from {owners}</span>}
    </div>
  )
}

export const FrameRow = memo(FrameRowView)

function formatSize(bytes: number): string {
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`
}
