import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useMemo, useRef } from 'react'
import type { AgentEventType } from '../../../../shared/agentEvents'
import { CommandError } from '../../components/CommandError'
import { useSessionActions } from '../../session/SessionContext'
import { useCommand } from '../../session/useCommand'
import { averageMs, ringAt, type AgentLaneEntry, type Lane, type UserView } from '../../store'
import { isTargetUser } from '../../store/targetEvents'
import { FrameRow } from './FrameRow'
import { filtersNothing, passesFilter, type LaneFilter } from './laneFilter'
import { rowPlacement } from './rowPlacement'
import { useInView } from './useInView'

const ROW_HEIGHT = 22
/** The manager_id observe mode's user_connected carries (src/main/observe/observedSession.ts). */
const OBSERVED_MANAGER = 'observe'
/** Rows rendered beyond the visible ones at each end; under a flood every extra row is work on every batch. */
const OVERSCAN = 6
/** Lanes this close to the viewport still render rows, so scrolling the strip shows them already filled. */
const LANE_MARGIN = '0px 260px'

/** A target backend's own name for each event role (target_started's type_names); empty for the runtime. */
export type TypeNames = Readonly<Partial<Record<AgentEventType, string>>>

/** One user's delivered events, newest first, virtualised so a lane of any size renders a screenful of rows. */
function UserLaneView({
  user,
  lane,
  filter,
  typeNames
}: {
  user: UserView
  lane: Lane
  filter: LaneFilter
  typeNames: TypeNames
}): React.JSX.Element {
  const { run, busy, readOnly, error } = useCommand()
  const { slowUsers, setUserSlow } = useSessionActions()
  const slow = slowUsers[user.user_id] === true
  // An observed user is a real client going through observe mode's relay: the runtime cannot run, slow or remove it.
  // Nor can it a target run's user, which is the developer's backend's client, not one of its simulated users.
  const locked =
    busy || readOnly || !user.connected || user.manager_id === OBSERVED_MANAGER || isTargetUser(user)
  const scrollRef = useRef<HTMLDivElement>(null)
  const laneRef = useRef<HTMLDivElement>(null)
  // A lane scrolled out of the strip keeps its header (counts stay readable) but renders no rows.
  const inView = useInView(laneRef, LANE_MARGIN)
  // Ring indices of the shown rows, newest first; null when nothing is filtered out, so a batch costs what is on
  // screen rather than a pass over the whole ring.
  const filtered = useMemo(() => {
    if (!inView || filtersNothing(filter)) return null
    const indices: number[] = []
    for (let i = lane.entries.size - 1; i >= 0; i -= 1) {
      const entry = ringAt(lane.entries, i)
      if (entry !== undefined && passesFilter(filter, entry)) indices.push(i)
    }
    return indices
  }, [lane.entries, filter, inView])
  const rowCount = !inView ? 0 : filtered === null ? lane.entries.size : filtered.length
  const ringIndexOf = (row: number): number =>
    filtered === null ? lane.entries.size - 1 - row : (filtered[row] ?? -1)
  const place = rowPlacement(lane, filtered === null)
  // TanStack Virtual keeps mutable state outside React by design; the compiler cannot memoise around it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN
  })
  const avgRun = averageMs(user.runLatency)
  const violations = user.violationsReceived
  const canaryOwners = Object.keys(user.canaryFrom)

  return (
    <div
      ref={laneRef}
      className={
        violations + user.canaryLeaksReceived + user.observedLeaksReceived > 0
          ? 'lane has-violations'
          : 'lane'
      }
      data-testid={`lane-${user.user_id}`}
      data-user-id={user.user_id}
      data-connected={user.connected}
      data-violations={violations}
      data-runs-started={user.runsStarted}
      data-runs-completed={user.runsCompleted}
      data-received={user.delivered}
      data-sent={user.framesSent}
      data-missing={user.missingReports}
      data-slow={slow}
      data-cut-off={user.cutOff !== null}
      data-canary-leaks={user.canaryLeaksReceived}
      data-observed-leaks={user.observedLeaksReceived}
      data-unparsed={user.unparsedFrames}
      data-unreadable={user.unreadableOwners}
    >
      <div className="lane-head">
        <div className="lane-title">
          <span className={user.connected ? 'dot dot-on' : 'dot'} />
          <span className="mono">{user.user_id}</span>
          {slow && (
            <span className="badge badge-warn" data-testid={`lane-slow-${user.user_id}`}>
              slow
            </span>
          )}
          {user.cutOff !== null && (
            <span
              className="badge badge-danger"
              data-testid={`lane-cut-off-${user.user_id}`}
              data-code={user.cutOff.code}
              data-seq={user.cutOff.seq}
              title={`${user.cutOff.code} ${user.cutOff.reason}`}
            >
              cut off · {formatBytes(user.cutOff.bufferedBytes)} unread
            </span>
          )}
          {user.canaryLeaksReceived > 0 && (
            <span
              className="badge badge-danger"
              data-testid={`lane-canary-${user.user_id}`}
              data-count={user.canaryLeaksReceived}
              data-from={canaryOwners.join(' ')}
              title="Frames carrying another user's canary marker"
            >
              canary of {canaryOwners.join(', ')}
            </span>
          )}
          {user.observedLeaksReceived > 0 && (
            <span
              className="badge badge-danger"
              data-testid={`lane-leak-${user.user_id}`}
              data-count={user.observedLeaksReceived}
              data-from={Object.keys(user.leakFrom).join(' ')}
              title="Observe mode: frames this user received that belong to another user (owner id or canary)"
            >
              leak from {Object.keys(user.leakFrom).join(', ')}
            </span>
          )}
          {user.cutOff === null && !user.connected && user.disconnect !== null && (
            <span className="badge" title={user.disconnect.reason}>
              closed {user.disconnect.code}
            </span>
          )}
        </div>
        <div className="lane-buttons">
          <button
            type="button"
            data-testid={`run-user-${user.user_id}`}
            disabled={locked}
            onClick={() => void run({ cmd: 'start_runs', user_id: user.user_id, runs: 1 })}
          >
            Run
          </button>
          <button
            type="button"
            data-testid={`slow-user-${user.user_id}`}
            data-slow={slow}
            className={slow ? 'on' : ''}
            disabled={locked}
            onClick={() =>
              void run({ cmd: 'set_user_slow', user_id: user.user_id, slow: !slow }).then((reply) => {
                if (reply.ok) setUserSlow(user.user_id, !slow)
              })
            }
          >
            Slow
          </button>
          <button
            type="button"
            data-testid={`remove-user-${user.user_id}`}
            disabled={locked}
            onClick={() => void run({ cmd: 'remove_user', user_id: user.user_id })}
          >
            ✕
          </button>
        </div>
        <div className="lane-stats" data-testid={`lane-stats-${user.user_id}`}>
          runs {user.runsCompleted}/{user.runsStarted} · recv {user.delivered}
          {user.framesSent > 0 && <> · sent {user.framesSent}</>}
          {violations > 0 && <span className="text-danger"> · {violations} not theirs</span>}
          {user.canaryLeaksReceived > 0 && (
            <span className="text-danger"> · {user.canaryLeaksReceived} canary</span>
          )}
          {user.missingReports > 0 && <span className="text-warn"> · {user.missingReports} missing</span>}
          {user.unparsedFrames > 0 && <span className="text-warn"> · {user.unparsedFrames} unparsed</span>}
          {user.unreadableOwners > 0 && (
            <span className="text-warn"> · {user.unreadableOwners} owner unreadable</span>
          )}
        </div>
        <div
          className="lane-stats"
          data-testid={`lane-latency-${user.user_id}`}
          data-avg-ms={avgRun === null ? '' : avgRun.toFixed(1)}
          data-last-ms={user.runLatency.count === 0 ? '' : user.runLatency.last.toFixed(1)}
        >
          run latency {formatMs(avgRun)} avg · {formatMs(user.runLatency.count ? user.runLatency.last : null)}{' '}
          last · {formatMs(user.runLatency.count ? user.runLatency.max : null)} max
        </div>
        {lane.summary.summarised > 0 && (
          <div
            className="lane-stats text-warn"
            data-testid={`lane-summarised-${user.user_id}`}
            data-count={lane.summary.summarised}
            title="This tab fell behind the stream: the server sent these events as counts, included in the figures above"
          >
            {lane.summary.summarised} events summarised
          </div>
        )}
        {lane.summary.folded > 0 && (
          <div
            className="lane-stats muted"
            data-testid={`lane-folded-${user.user_id}`}
            data-count={lane.summary.folded}
          >
            +{lane.summary.folded} older folded
            {lane.summary.foldedViolations > 0 && (
              <span className="text-danger"> ({lane.summary.foldedViolations} violations)</span>
            )}
          </div>
        )}
        <CommandError error={error} />
      </div>
      <div className="lane-body" ref={scrollRef}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          <div className="lane-rows" style={{ transform: `translateY(${place.shift * ROW_HEIGHT}px)` }}>
            {virtualizer.getVirtualItems().map((item) => {
              const ringIndex = ringIndexOf(item.index)
              const entry = ringAt(lane.entries, ringIndex)
              if (entry === undefined) return null
              const top = place.rowAt(item.index, ringIndex) * ROW_HEIGHT
              if (entry.kind === 'frame')
                return <FrameRow key={entry.seq} entry={entry} top={top} height={ROW_HEIGHT} />
              return (
                <LaneRow
                  key={entry.seq}
                  entry={entry}
                  typeName={typeNames[entry.type] ?? entry.type}
                  top={top}
                />
              )
            })}
          </div>
        </div>
      </div>
    </div>
  )
}

/** Memoised: a batch that touched neither this user nor their lane leaves the lane alone. */
export const UserLane = memo(UserLaneView)

function LaneRowView({
  entry,
  typeName,
  top
}: {
  entry: AgentLaneEntry
  /** What the backend calls this event (a target run), else its role. */
  typeName: string
  top: number
}): React.JSX.Element {
  const canary = entry.canary?.join(', ') ?? null
  return (
    <div
      className={entry.violation || canary !== null ? 'lane-event is-violation' : 'lane-event'}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      data-testid="lane-event"
      data-type={entry.type}
      data-type-name={typeName}
      data-owner={entry.owner_user_id}
      data-violation={entry.violation}
      data-seq={entry.seq}
      data-run-id={entry.run_id}
      data-canary={entry.canary?.join(' ') ?? ''}
      title={`${entry.event_id} · run ${entry.run_id} · seq ${entry.seq}`}
    >
      <span className={`type type-${entry.type}`}>{typeName}</span>
      {entry.violation && <span className="owner">from {entry.owner_user_id}</span>}
      {canary !== null && !entry.violation && <span className="owner">canary of {canary}</span>}
      {!entry.violation && canary === null && <span className="muted">{entry.latency_ms.toFixed(1)}ms</span>}
    </div>
  )
}

const LaneRow = memo(LaneRowView)

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`
}

function formatMs(ms: number | null): string {
  return ms === null ? '—' : `${ms.toFixed(0)}ms`
}
