/**
 * Step back, step forward and scrub over a list of events. `position` is how many events are applied (0..total),
 * so position 0 is "before the first event". Test ids are `<testId>-back`, `-forward`, `-start`, `-end`,
 * `-scrubber` and `-position`.
 */
export function TimelineControls({
  testId,
  position,
  total,
  onChange
}: {
  testId: string
  position: number
  total: number
  onChange: (position: number) => void
}): React.JSX.Element {
  const go = (next: number): void => onChange(Math.max(0, Math.min(total, next)))
  return (
    <div className="timeline">
      <button
        type="button"
        data-testid={`${testId}-start`}
        disabled={position === 0}
        onClick={() => go(0)}
        title="To the start"
      >
        «
      </button>
      <button
        type="button"
        data-testid={`${testId}-back`}
        disabled={position === 0}
        onClick={() => go(position - 1)}
        title="One event back"
      >
        ◀
      </button>
      <input
        type="range"
        min={0}
        max={total}
        step={1}
        value={position}
        data-testid={`${testId}-scrubber`}
        aria-label="timeline"
        onChange={(e) => go(e.target.valueAsNumber)}
      />
      <button
        type="button"
        data-testid={`${testId}-forward`}
        disabled={position === total}
        onClick={() => go(position + 1)}
        title="One event forward"
      >
        ▶
      </button>
      <button
        type="button"
        data-testid={`${testId}-end`}
        disabled={position === total}
        onClick={() => go(total)}
        title="To the end"
      >
        »
      </button>
      <span
        className="mono muted timeline-position"
        data-testid={`${testId}-position`}
        data-position={position}
        data-total={total}
      >
        {position}/{total}
      </span>
    </div>
  )
}
