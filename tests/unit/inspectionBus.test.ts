import { describe, expect, it } from 'vitest'
import { inspectionEventSchema, type InspectionEvent } from '../../src/shared/inspection'
import { InspectionBus } from '../../src/main/runtime/inspection/inspectionBus'

let clock = 1_000
const bus = (): InspectionBus => new InspectionBus({ now: () => clock++ })

describe('InspectionBus', () => {
  it('writes an event given as UTF-8 members exactly as it writes the object', () => {
    const fromObject = bus()
    const fromBytes = bus()
    const lines: string[] = []
    fromObject.subscribeLines((line) => lines.push(line))
    fromBytes.subscribeLines((line) => lines.push(line))
    clock = 5
    fromObject.emit({
      kind: 'agent_event_delivered',
      event_id: 'evt_1',
      type: 'agent_started',
      run_id: 'run_a',
      owner_user_id: 'usr_"quoted" é',
      receiver_user_id: 'usr_b',
      latency_ms: 0.25
    })
    clock = 5
    const members = [
      `"event_id":${JSON.stringify('evt_1')}`,
      `"type":"agent_started"`,
      `"run_id":${JSON.stringify('run_a')}`,
      `"owner_user_id":${JSON.stringify('usr_"quoted" é')}`,
      `"receiver_user_id":${JSON.stringify('usr_b')}`,
      `"latency_ms":0.25`
    ].join(',')
    const reused = Buffer.from(members)
    fromBytes.emitEncoded('agent_event_delivered', reused)
    reused.fill(0x20)
    expect(lines[1]).toBe(lines[0])
    expect(inspectionEventSchema.parse(JSON.parse(lines[1] as string))).toMatchObject({ seq: 0, ts: 5 })
    expect(fromBytes.snapshotLines()).toEqual([lines[0]])
  })

  it('hands objects only to listeners of their kind, parsing an encoded event only when one is listening', () => {
    const b = bus()
    const completed: InspectionEvent[] = []
    const everything: InspectionEvent[] = []
    b.subscribeKinds(['run_completed'], (event) => completed.push(event))
    const members = Buffer.from(
      '"event_id":"e","type":"agent_started","run_id":"r","owner_user_id":"u","receiver_user_id":"u","latency_ms":1'
    )
    b.emitEncoded('agent_event_delivered', members)
    b.emit({ kind: 'run_completed', run_id: 'r', user_id: 'u', emitted: 5 })
    expect(completed.map((event) => event.kind)).toEqual(['run_completed'])
    const unsubscribe = b.subscribe((event) => everything.push(event))
    b.emitEncoded('agent_event_delivered', members)
    unsubscribe()
    b.emitEncoded('agent_event_delivered', members)
    expect(everything).toHaveLength(1)
    expect(everything[0]).toMatchObject({ kind: 'agent_event_delivered', seq: 2, receiver_user_id: 'u' })
    expect(b.emitted).toBe(4)
    expect(b.snapshot().map((event) => event.seq)).toEqual([0, 1, 2, 3])
  })

  it('writes a run of events given as UTF-8 as one by one, and hands them to listeners of lines and of their kind', () => {
    const members = ['"event_id":"e1","latency_ms":1', '"event_id":"é2","latency_ms":2.5', '"event_id":"e3"']
    // One clock reading for the whole run, as a batch gets.
    const fromText = new InspectionBus({ now: () => 9 })
    const fromBytes = new InspectionBus({ now: () => 9 })
    const heard: Record<'text' | 'bytes', { lines: string[]; events: InspectionEvent[] }> = {
      text: { lines: [], events: [] },
      bytes: { lines: [], events: [] }
    }
    for (const [name, b] of [
      ['text', fromText],
      ['bytes', fromBytes]
    ] as const) {
      b.subscribeLines((line) => heard[name].lines.push(line))
      b.subscribeKinds(['agent_event_delivered'], (event) => heard[name].events.push(event))
    }
    for (const text of members.slice(1)) fromText.emitEncoded('agent_event_delivered', Buffer.from(text))
    const encoded = members.map((text) => Buffer.from(text))
    const ends = encoded.map((_, index) => Buffer.concat(encoded.slice(0, index + 1)).length)
    // From the second member on, as a batch split around a violation is.
    fromBytes.emitEncoded('agent_event_delivered', Buffer.concat(encoded), ends, 1, 3)
    expect(heard.bytes).toEqual(heard.text)
    expect(heard.bytes.lines).toHaveLength(2)
    expect(fromBytes.snapshotLines()).toEqual(fromText.snapshotLines())
  })

  it('keeps the last historyLimit events for late subscribers', () => {
    const b = new InspectionBus({ historyLimit: 3 })
    for (let index = 0; index < 5; index++) b.emit({ kind: 'warning', code: 'w', message: `m${index}` })
    expect(b.snapshot().map((event) => event.seq)).toEqual([2, 3, 4])
  })
})
