import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'

// docs/testing.md shows the start of the package's example spec as its example; npm test runs the spec, so the
// example in the docs is one that runs, as long as the two stay the same text.
it("docs/testing.md's fixture example is tests/e2e-package/isolation.spec.ts's start, verbatim", () => {
  const spec = readFileSync('tests/e2e-package/isolation.spec.ts', 'utf8')
  const docs = readFileSync('docs/testing.md', 'utf8')
  const start = spec.indexOf("import { expect, test } from 'session-inspector/playwright'")
  const end = spec.indexOf("\ntest('", spec.indexOf("\ntest('") + 1)
  expect(start).toBeGreaterThanOrEqual(0)
  expect(end).toBeGreaterThan(start)
  expect(docs).toContain('```ts\n' + spec.slice(start, end).trimEnd() + '\n```')
})
