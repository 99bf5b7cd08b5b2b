import { expect, test } from 'session-inspector/playwright'

test('helpers name what is wrong instead of timing out', async ({ inspector }) => {
  await expect(inspector.setFaults(['no_such_fault' as never])).rejects.toThrow(
    /setFaults: unknown fault\(s\) no_such_fault; the runtime's faults are shared_singleton_manager, /
  )
  await expect(inspector.runAll()).rejects.toThrow('runAll: there are no users; call addUsers first')
  const [user] = await inspector.addUsers(1)
  await expect(inspector.laneCounts('nobody')).rejects.toThrow(
    `laneCounts: no lane for 'nobody'; the lanes are: ${user}`
  )
  await expect(inspector.openScenario('no-such-scenario')).rejects.toThrow(
    /openScenario: no scenario 'no-such-scenario' with mode 'both'; the scenarios are: .*cross-user-leak/
  )
})
