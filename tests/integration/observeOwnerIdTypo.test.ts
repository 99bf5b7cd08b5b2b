import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/runCli'

describe('observe --owner-id: a dotted path with an empty segment', () => {
  it.each([
    ['--har', 'x.har'],
    ['--upstream', 'ws://127.0.0.1:9']
  ])('is refused before anything starts (with %s), exit 2 naming the flag', async (flag, value) => {
    const { code, stderr } = await runCli([
      'observe',
      flag,
      value,
      '--user-from',
      'cookie:user',
      '--owner-id',
      'user_id.'
    ])
    expect(code).toBe(2)
    expect(stderr).toContain(
      "observe: --owner-id: 'user_id.' has an empty segment; a dotted path is name.name (or give a JSON pointer such as /user_id)"
    )
  })
})
