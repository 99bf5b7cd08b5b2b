import { useEffect, useState } from 'react'
import { layoutWithElk, type LayoutSpec, type Positions } from './elkLayout'

/**
 * Lays out `spec` whenever its structure changes (compared by value, so live counters that do not change the shape
 * never re-run ELK). Until the first layout lands, returns null; afterwards the last layout, even while a new one runs.
 */
export function useElkLayout(spec: LayoutSpec): { positions: Positions | null; key: string } {
  const key = JSON.stringify(spec)
  const [layout, setLayout] = useState<{ key: string; positions: Positions } | null>(null)
  useEffect(() => {
    let cancelled = false
    const parsed = JSON.parse(key) as LayoutSpec
    layoutWithElk(parsed)
      .then((positions) => {
        if (!cancelled) setLayout({ key, positions })
      })
      .catch((error: unknown) => console.error('ELK layout failed', error))
    return () => {
      cancelled = true
    }
  }, [key])
  return { positions: layout?.positions ?? null, key: layout?.key ?? '' }
}
