import { useEffect, useMemo, useRef } from 'react'
import type { InspectionEvent } from '../../../../shared/inspection'
import { describeEvent, isBadEvent } from '../../components/describeEvent'
import { TimelineControls } from '../../components/TimelineControls'
import { currentPhase, type Timeline } from '../../store'

/** Steps listed around the cursor; a trace can be long and only the neighbourhood is worth reading. */
const WINDOW = 150

/**
 * One run's trace under a cursor: step, scrub, or click a step. What the run looked like at that step comes from
 * the live views' reducer folding the trace up to it.
 */
export function TracePanel({
  run,
  timeline,
  cursor,
  whysBySeq,
  onSeek
}: {
  run: string
  timeline: Timeline
  cursor: number
  whysBySeq: ReadonlyMap<number, number[]>
  onSeek: (cursor: number) => void
}): React.JSX.Element {
  const current = timeline.eventAt(cursor)
  const state = useMemo(() => timeline.stateAt(cursor), [timeline, cursor])
  const listRef = useRef<HTMLOListElement>(null)
  useEffect(() => {
    listRef.current?.querySelector('[data-current="true"]')?.scrollIntoView({ block: 'nearest' })
  }, [cursor])
  const from = Math.max(0, cursor - WINDOW)
  const steps = timeline.events.slice(from, Math.min(timeline.length, cursor + WINDOW))
  const currentWhys = current === null ? [] : (whysBySeq.get(current.seq) ?? [])

  return (
    <div className="trace" data-testid={`trace-${run}`}>
      <TimelineControls testId={`trace-${run}`} position={cursor} total={timeline.length} onChange={onSeek} />
      <div
        className={current !== null && isBadEvent(current) ? 'trace-current is-bad' : 'trace-current'}
        data-testid={`trace-${run}-current`}
        data-seq={current?.seq ?? ''}
        data-kind={current?.kind ?? ''}
        data-whys={currentWhys.join(' ')}
      >
        {current === null ? (
          <span className="muted">before the first event</span>
        ) : (
          <>
            <span className="mono muted">#{current.seq}</span> <b>{current.kind}</b>{' '}
            {currentWhys.map((index) => (
              <span key={index} className="badge badge-live">
                why {index}
              </span>
            ))}
            <div className="mono small">{describeEvent(current)}</div>
          </>
        )}
      </div>
      <div
        className="trace-state mono small"
        data-testid={`trace-${run}-state`}
        data-phase={currentPhase(state) ?? ''}
        data-violations={state.violations.total}
      >
        phase {currentPhase(state) ?? '—'} · users {Object.keys(state.users).length} · managers{' '}
        {Object.keys(state.factory.managers).length} · violations{' '}
        <span className={state.violations.total > 0 ? 'text-danger' : ''}>{state.violations.total}</span>
      </div>
      <ol className="trace-steps" ref={listRef} data-testid={`trace-${run}-steps`}>
        {steps.map((event, i) => (
          <TraceStep
            key={event.seq}
            event={event}
            position={from + i + 1}
            current={from + i + 1 === cursor}
            whys={whysBySeq.get(event.seq) ?? []}
            onSeek={onSeek}
          />
        ))}
      </ol>
    </div>
  )
}

function TraceStep({
  event,
  position,
  current,
  whys,
  onSeek
}: {
  event: InspectionEvent
  position: number
  current: boolean
  whys: number[]
  onSeek: (cursor: number) => void
}): React.JSX.Element {
  const classes = ['trace-step', current ? 'current' : '', isBadEvent(event) ? 'is-bad' : '']
  return (
    <li
      className={classes.join(' ')}
      data-testid="trace-step"
      data-seq={event.seq}
      data-kind={event.kind}
      data-current={current}
      data-whys={whys.join(' ')}
      onClick={() => onSeek(position)}
    >
      <span className="mono muted">#{event.seq}</span>
      <span className="trace-step-text">{describeEvent(event)}</span>
      {whys.length > 0 && <span className="badge badge-live">why {whys.join(', ')}</span>}
    </li>
  )
}
