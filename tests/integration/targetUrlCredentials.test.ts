import { describe, expect, it } from 'vitest'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { LOAD_EXIT } from '../../src/main/runtime/load/runLoad'
import { credentialQueryNames } from '../../src/main/target/credentialQuery'
import { prepareTarget } from '../../src/main/target/prepareTarget'
import { runTarget } from '../../src/main/target/runTarget'
import { targetExitCode } from '../../src/main/target/targetReport'
import { startSampleBackend } from '../fixtures/sampleBackend/sampleBackend'
import { exampleTarget } from '../helpers/targetHarness'

/** The example file with its token written straight into the url's query instead of `auth` `in: "query"`. */
async function runWithTokenInUrl(token: string, url: (backendUrl: string) => string) {
  const backend = await startSampleBackend({ bug: null })
  try {
    const file = exampleTarget((json) => {
      delete json.auth
      json.users = { token, vars: { room: 'lobby' } }
      json.timeouts = { connectMs: 2_000, runMs: 2_000, settleMs: 100 }
    })
    const target = url(backend.url)
    const users = prepareTarget('example', file, { users: 2, url: target })
    const report = await runTarget(file, users, { runs: 1, bus: new InspectionBus(), url: target })
    return { report, exitCode: targetExitCode(report) }
  } finally {
    await backend.close()
  }
}

describe('a token templated into the url itself (?token={{token}})', () => {
  it('works like auth in the query on a backend that accepts it', async () => {
    const { exitCode } = await runWithTokenInUrl(
      'token-{{user_id}}',
      (url) => `${url}?token={{token}}&room={{room}}`
    )
    expect(exitCode).toBe(LOAD_EXIT.clean)
  })

  it('is named among what was sent, never shown, when the handshake is refused', async () => {
    const { report, exitCode } = await runWithTokenInUrl(
      'wrong-{{user_id}}',
      (url) => `${url}?token={{token}}&room={{room}}`
    )
    expect(exitCode).toBe(LOAD_EXIT.incomplete)
    expect(report.users.failed.map((failure) => failure.error)).toEqual([
      'handshake refused with HTTP 401: unknown token; sent query parameter token (values redacted); check auth and users in the target file',
      'handshake refused with HTTP 401: unknown token; sent query parameter token (values redacted); check auth and users in the target file'
    ])
  })

  it('is masked in the url of an unreachable server', async () => {
    const { report } = await runWithTokenInUrl(
      'wrong-{{user_id}}',
      () => 'ws://127.0.0.1:9/ws?token={{token}}&room={{room}}'
    )
    const error = report.users.failed[0]?.error ?? ''
    expect(error).toMatch(/^cannot reach ws:\/\/127\.0\.0\.1:9\/ws\?token=\*\*\*&room=lobby: /)
    expect(error).not.toContain('wrong-user')
  })
})

describe('credentialQueryNames', () => {
  it('names the parameters whose value uses the token or a captured value, and only those', () => {
    expect(credentialQueryNames('ws://h/ws?room={{room}}&access_token={{captured.token}}#x')).toEqual([
      'access_token'
    ])
    expect(credentialQueryNames('ws://{{host}}/ws?t=Bearer%20{{ token }}&u={{user_id}}')).toEqual(['t'])
    expect(credentialQueryNames('ws://h/ws')).toEqual([])
  })
})
