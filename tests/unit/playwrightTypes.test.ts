import { expectTypeOf, it } from 'vitest'
import type { FaultName as PackageFaultName, TabId as PackageTabId } from 'session-inspector/playwright'
import type { FaultName } from '../../src/shared/faults'
import type { TabId } from '../../src/renderer/src/tabs'

// The package's types are written by hand (playwright/index.d.mts); `npm run typecheck` fails here when they drift.
it('the package names the runtime’s faults and the app’s tabs, no more and no fewer', () => {
  expectTypeOf<PackageFaultName>().toEqualTypeOf<FaultName>()
  expectTypeOf<PackageTabId>().toEqualTypeOf<TabId>()
})
