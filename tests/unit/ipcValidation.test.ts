import { describe, expect, it } from 'vitest'
import { validateIpcCommand } from '../../src/main/host/ipc/validateIpcCommand'
import { IPC_CHANNELS } from '../../src/main/host/ipc/channels'

describe('validateIpcCommand', () => {
  it('accepts a valid command from our window', () => {
    expect(validateIpcCommand({ cmd: 'add_users', count: 3 }, true)).toEqual({
      kind: 'accept',
      command: { cmd: 'add_users', count: 3 }
    })
  })

  it('drops anything from a sender that is not ours, valid or not', () => {
    for (const raw of [{ cmd: 'hello' }, 'junk']) {
      const check = validateIpcCommand(raw, false)
      expect(check.kind).toBe('drop')
      expect(check).toMatchObject({
        reply: { ok: false, error: { message: expect.stringMatching(/not a Session/) } }
      })
    }
  })

  it('answers a wrong field with its path, never a throw', () => {
    const check = validateIpcCommand({ cmd: 'add_users', count: 'three' }, true)
    expect(check).toMatchObject({
      kind: 'invalid',
      reply: { ok: false, error: { path: 'count', message: expect.stringContaining('expected number') } }
    })
  })

  it('names the known commands for an unknown one', () => {
    const check = validateIpcCommand({ cmd: 'rm_rf' }, true)
    expect(check).toMatchObject({ kind: 'invalid', reply: { ok: false, error: { path: 'cmd' } } })
    expect(JSON.stringify(check)).toContain('hello')
  })

  it('refuses extra fields and non-objects', () => {
    expect(validateIpcCommand({ cmd: 'hello', extra: 1 }, true)).toMatchObject({
      kind: 'invalid',
      reply: { error: { message: expect.stringContaining('extra') } }
    })
    for (const raw of [null, undefined, 42, 'hello', []]) {
      expect(validateIpcCommand(raw, true).kind).toBe('invalid')
    }
  })

  it('uses namespaced channel names', () => {
    expect(IPC_CHANNELS).toEqual({
      command: 'inspector:command',
      saveRecording: 'inspector:save-recording',
      push: 'inspector:push'
    })
  })
})
