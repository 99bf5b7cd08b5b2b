import type { Lane } from '../../store'

/** Where a lane's rows go, in row heights: the row at list index `row` shows at `rowAt(row, ringIndex) + shift`. */
export interface RowPlacement {
  /** Offset of the container holding the rows: one transform for the whole list. */
  shift: number
  /** Offset of one row inside that container. */
  rowAt(row: number, ringIndex: number): number
}

/** Entries between moves of the rows' base; keeps offsets small while moving every row only this rarely. */
const BASE_STEP = 4096

/**
 * Unfiltered, each entry has a fixed place counted from its lane's whole history (its ordinal: `folded` + ring
 * index), and the container moves down one row per new entry: when a batch arrives, rows already on screen keep
 * their style and layout, and only the new rows and the container change. Filtered lists have no such ordinal;
 * their rows sit at their list index.
 */
export function rowPlacement(lane: Lane, byOrdinal: boolean): RowPlacement {
  if (!byOrdinal) return { shift: 0, rowAt: (row) => row }
  const { folded } = lane.summary
  const newest = folded + lane.entries.size - 1
  const base = Math.ceil((newest + 1) / BASE_STEP) * BASE_STEP
  return { shift: newest - base, rowAt: (_row, ringIndex) => base - (folded + ringIndex) }
}
