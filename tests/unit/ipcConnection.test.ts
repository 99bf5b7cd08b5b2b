import { describe, expect, it, vi } from 'vitest'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { createIpcConnection } from '../../src/renderer/src/client/ipcConnection'
import {
  eventsPushBytes,
  type InspectorBridge,
  type Push,
  type PushBytes
} from '../../src/shared/inspectorApi'

/** The preload's surface without Electron: what main would push arrives as bytes through `emit`. */
function fakeBridge(reply = '{"ok":true,"result":null}'): {
  bridge: InspectorBridge
  emit: (push: Uint8Array | string) => void
} {
  let listener: ((push: PushBytes) => void) | null = null
  return {
    bridge: {
      send: async () => reply,
      subscribe(next) {
        listener = next
        return () => (listener = null)
      },
      saveRecording: async () => ({ ok: true, result: null })
    },
    emit: (push) => listener?.(push as PushBytes)
  }
}

describe('IPC connection', () => {
  it('decodes and parses the pushed bytes and hands the UI the same typed pushes as the web-mode client', () => {
    const bus = new InspectionBus({ now: () => 5 })
    const lines: string[] = []
    bus.subscribeLines((line) => lines.push(line))
    bus.emit({ kind: 'warning', code: 'one', message: 'first' })
    bus.emit({ kind: 'run_completed', user_id: 'alice', run_id: 'run_thread_alice_1', emitted: 5 })
    const { bridge, emit } = fakeBridge()
    const received: Push[] = []
    createIpcConnection(bridge).client.subscribe((push) => received.push(push))

    emit(eventsPushBytes(lines))

    expect(received).toEqual([{ type: 'events', events: bus.snapshot() }])
  })

  it('drops a push that is not bytes, not JSON or not a valid push, and keeps listening', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const { bridge, emit } = fakeBridge()
    const received: Push[] = []
    createIpcConnection(bridge).client.subscribe((push) => received.push(push))

    const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)
    emit('{"type":"events","events":[]}')
    emit(bytes('{"type":"events","events":['))
    emit(bytes('{"type":"events","events":[{"kind":"warning","seq":-1}]}'))
    emit(bytes('{"type":"events","events":[]}'))

    expect(received).toEqual([{ type: 'events', events: [] }])
    expect(errors).toHaveBeenCalledTimes(3)
    errors.mockRestore()
  })

  it('parses a reply from its JSON text, and turns text that is not a reply into an error naming the command', async () => {
    const ok = createIpcConnection(fakeBridge('{"ok":true,"result":{"removed":"alice"}}').bridge)
    expect(await ok.client.send({ cmd: 'remove_user', user_id: 'alice' })).toEqual({
      ok: true,
      result: { removed: 'alice' }
    })
    for (const text of ['{"ok":', '{"ok":"yes"}']) {
      const bad = createIpcConnection(fakeBridge(text).bridge)
      expect(await bad.client.send({ cmd: 'restart_startup' })).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(/^Malformed reply to restart_startup: ./) }
      })
    }
  })
})
