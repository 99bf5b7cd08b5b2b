import { AGENT_EVENT_TYPES } from '../../../../shared/agentEvents'
import type { LaneFilter } from './laneFilter'
import type { TypeNames } from './UserLane'

export function LaneFilterBar({
  filter,
  typeNames,
  onChange
}: {
  filter: LaneFilter
  /** A target backend's names for the roles, shown as the lanes show them. */
  typeNames: TypeNames
  onChange: (filter: LaneFilter) => void
}): React.JSX.Element {
  return (
    <div className="chips" data-testid="lane-filter">
      {AGENT_EVENT_TYPES.map((type) => (
        <button
          key={type}
          type="button"
          className={filter.types[type] ? 'chip on' : 'chip'}
          data-testid={`filter-type-${type}`}
          data-on={filter.types[type]}
          onClick={() => onChange({ ...filter, types: { ...filter.types, [type]: !filter.types[type] } })}
        >
          {typeNames[type] ?? type}
        </button>
      ))}
      <button
        type="button"
        className={filter.violationsOnly ? 'chip on chip-danger' : 'chip'}
        data-testid="filter-violations"
        data-on={filter.violationsOnly}
        onClick={() => onChange({ ...filter, violationsOnly: !filter.violationsOnly })}
      >
        violations only
      </button>
    </div>
  )
}
