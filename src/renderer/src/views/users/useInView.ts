import { useEffect, useState, type RefObject } from 'react'

/**
 * Whether the element is within `margin` of the viewport (scrolled-into-view ancestors included). Starts true, so
 * the first render shows everything, then follows an IntersectionObserver. Lanes scrolled out of sight use it to
 * render no rows: with twenty lanes in a strip, most are off screen.
 */
export function useInView(ref: RefObject<Element | null>, margin = '0px'): boolean {
  const [inView, setInView] = useState(true)
  useEffect(() => {
    const element = ref.current
    if (element === null || typeof IntersectionObserver === 'undefined') return
    const observer = new IntersectionObserver(
      (entries) => {
        const last = entries.at(-1)
        if (last !== undefined) setInView(last.isIntersecting)
      },
      { rootMargin: margin }
    )
    observer.observe(element)
    return () => observer.disconnect()
  }, [ref, margin])
  return inView
}
