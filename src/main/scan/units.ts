/**
 * Which execution unit owns a position in a file: the innermost range (a function body, or code that never runs
 * on import such as a lambda's body) that contains it. Ranges come from a syntax tree, so they nest.
 */
export interface OwnedRange {
  start: number
  end: number
  unit: string
}

/** The unit that owns code outside every range: the module body. */
export const MODULE_UNIT = ''
/** Code that runs neither on import nor when its enclosing function runs (lambda bodies, `if TYPE_CHECKING:`). */
export const NEVER_UNIT = '\u0000never'

/** For each position (ascending or not), the unit that owns it. One sweep over ranges sorted by start. */
export function ownersOf(positions: readonly number[], ranges: OwnedRange[]): string[] {
  const order = positions.map((_, index) => index).sort((a, b) => positions[a]! - positions[b]!)
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end)
  const owners = new Array<string>(positions.length)
  const open: OwnedRange[] = []
  let next = 0
  for (const index of order) {
    const position = positions[index]!
    while (next < sorted.length && sorted[next]!.start <= position) {
      const range = sorted[next++]!
      while (open.length > 0 && open[open.length - 1]!.end <= range.start) open.pop()
      open.push(range)
    }
    while (open.length > 0 && open[open.length - 1]!.end <= position) open.pop()
    owners[index] = open.length > 0 ? open[open.length - 1]!.unit : MODULE_UNIT
  }
  return owners
}
