import { useVirtualizer } from '@tanstack/react-virtual'
import { useMemo, useRef, useState } from 'react'
import type { UserView } from '../../store'

const ROW_HEIGHT = 24
const OVERSCAN = 8

/** What a user leaked into or received from others, by every detector: the overview's red and its sort key. */
export const leaksOf = (user: UserView): number =>
  user.violationsReceived + user.violationsLeaked + user.canaryLeaksReceived + user.observedLeaksReceived

type SortKey = 'order' | 'leaks' | 'received'

const SORTS: ReadonlyArray<{ key: SortKey; label: string; title: string }> = [
  { key: 'order', label: 'user', title: 'In order of arrival' },
  { key: 'received', label: 'received', title: 'Most events received first' },
  { key: 'leaks', label: 'leaks', title: 'Most leaks first: violations received and leaked, canary leaks' }
]

function sorted(users: readonly UserView[], key: SortKey): UserView[] {
  const copy = [...users]
  if (key === 'leaks') copy.sort((a, b) => leaksOf(b) - leaksOf(a) || a.order - b.order)
  else if (key === 'received') copy.sort((a, b) => b.delivered - a.delivered || a.order - b.order)
  return copy
}

/**
 * Every user on one virtualised table (hundreds of lanes side by side cannot be read): connected state, runs,
 * events received, violations and canary leaks. Clicking a user shows its lane alone.
 */
export function UsersOverview({
  users,
  selected,
  onSelect
}: {
  /** In order of arrival. */
  users: readonly UserView[]
  selected: string | null
  onSelect: (userId: string) => void
}): React.JSX.Element {
  const [sortKey, setSortKey] = useState<SortKey>('order')
  const rows = useMemo(() => sorted(users, sortKey), [users, sortKey])
  const leaking = useMemo(() => users.filter((user) => leaksOf(user) > 0).length, [users])
  const scrollRef = useRef<HTMLDivElement>(null)
  // TanStack Virtual keeps mutable state outside React by design; the compiler cannot memoise around it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN
  })

  return (
    <details
      className="users-overview"
      data-testid="users-overview"
      data-count={users.length}
      data-leaking={leaking}
      data-sort={sortKey}
      open
    >
      <summary>
        Overview · {users.length} user(s)
        {leaking > 0 && <span className="text-danger"> · {leaking} with leaks</span>}
      </summary>
      <div className="overview-row overview-head mono small">
        {SORTS.map(({ key, label, title }) => (
          <button
            key={key}
            type="button"
            className={sortKey === key ? 'link is-active' : 'link'}
            data-testid={`overview-sort-${key}`}
            title={title}
            onClick={() => setSortKey(key)}
          >
            {label}
            {sortKey === key && key !== 'order' ? ' ↓' : ''}
          </button>
        ))}
        <span>runs done/started</span>
        <span>violations in/out</span>
        <span>canary</span>
      </div>
      <div className="overview-body" ref={scrollRef}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const user = rows[item.index]
            if (user === undefined) return null
            return (
              <OverviewRow
                key={user.user_id}
                user={user}
                top={item.start}
                selected={user.user_id === selected}
                onSelect={onSelect}
              />
            )
          })}
        </div>
      </div>
    </details>
  )
}

function OverviewRow({
  user,
  top,
  selected,
  onSelect
}: {
  user: UserView
  top: number
  selected: boolean
  onSelect: (userId: string) => void
}): React.JSX.Element {
  const leaks = leaksOf(user)
  const classes = ['overview-row', 'mono', 'small']
  if (leaks > 0) classes.push('has-leaks')
  if (selected) classes.push('is-selected')
  return (
    <button
      type="button"
      className={classes.join(' ')}
      style={{ position: 'absolute', top, left: 0, right: 0, height: ROW_HEIGHT }}
      data-testid={`overview-user-${user.user_id}`}
      data-user-id={user.user_id}
      data-connected={user.connected}
      data-runs-started={user.runsStarted}
      data-runs-completed={user.runsCompleted}
      data-received={user.delivered}
      data-violations={user.violationsReceived}
      data-leaked={user.violationsLeaked}
      data-canary-leaks={user.canaryLeaksReceived}
      data-leaks={leaks}
      aria-pressed={selected}
      title="Show this user's lane alone"
      onClick={() => onSelect(user.user_id)}
    >
      <span>
        <span className={user.connected ? 'dot dot-on' : 'dot'} /> {user.user_id}
      </span>
      <span>{user.delivered}</span>
      <span>{leaks}</span>
      <span>
        {user.runsCompleted}/{user.runsStarted}
      </span>
      <span>
        {user.violationsReceived}/{user.violationsLeaked}
      </span>
      <span>{user.canaryLeaksReceived}</span>
    </button>
  )
}
