import { describe, expect, it } from 'vitest'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'
import { eventsPushBytes, pushBytes, pushSchema, type Push } from '../../src/shared/inspectorApi'

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)

describe('push bytes', () => {
  it('joins the bus lines into an events push that parses and validates to the events themselves', () => {
    const bus = new InspectionBus({ now: () => 1_000 })
    const lines: string[] = []
    bus.subscribeLines((line) => lines.push(line))
    bus.emit({ kind: 'warning', code: 'quotes', message: 'a "quoted" \\ back\nslash \u2028 and ünïcode' })
    bus.emitEncoded(
      'run_completed',
      Buffer.from('"run_id":"run_thread_alice_1","user_id":"alice","emitted":5')
    )
    bus.emit({ kind: 'warning', code: 'last', message: '' })

    const push = pushSchema.parse(JSON.parse(decode(eventsPushBytes(lines))))

    expect(push).toEqual({ type: 'events', events: bus.snapshot() })
    expect(push.type === 'events' && push.events.map((event) => event.seq)).toEqual([0, 1, 2])
  })

  it('an empty batch is still a valid push, and a reset round-trips through pushBytes', () => {
    expect(pushSchema.parse(JSON.parse(decode(eventsPushBytes([]))))).toEqual({ type: 'events', events: [] })
    const reset: Push = {
      type: 'reset',
      hello: {
        machine: {
          id: 'startup',
          initial: 'idle',
          states: [{ id: 'idle', label: 'idle', type: 'atomic' }],
          transitions: []
        },
        faults: ['shared_singleton_manager'],
        history: []
      }
    }
    expect(pushSchema.parse(JSON.parse(decode(pushBytes(reset))))).toEqual(reset)
  })
})
