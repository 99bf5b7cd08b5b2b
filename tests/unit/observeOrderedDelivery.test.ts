import { describe, expect, it } from 'vitest'
import { OrderedDelivery } from '../../src/main/observe/orderedDelivery'

describe('OrderedDelivery', () => {
  it('delivers in relay order although a reserved (inflating) message settles after later ones', async () => {
    const told: string[] = []
    const delivery = new OrderedDelivery(1024, (error) => told.push(`error ${String(error)}`))
    delivery.now(() => told.push('first'))
    const compressed = delivery.reserve()
    delivery.now(() => told.push('after the compressed one'), 10)
    expect(told).toEqual(['first'])
    expect(delivery.congested).toBe(false)
    compressed(() => told.push('compressed, inflated'), 5)
    expect(told).toEqual(['first', 'compressed, inflated', 'after the compressed one'])
    await delivery.idle()
  })

  it('skips a settled slot with nothing to deliver, survives an observer that throws, and reports congestion', () => {
    const told: string[] = []
    const delivery = new OrderedDelivery(100, (error) => told.push(`error: ${(error as Error).message}`))
    const tooLarge = delivery.reserve()
    delivery.now(() => {
      throw new Error('observer bug')
    }, 60)
    delivery.now(() => told.push('next'), 60)
    expect(delivery.congested).toBe(true)
    let resumed = false
    delivery.whenClear(() => (resumed = true))
    tooLarge(null, 0)
    expect(told).toEqual(['error: observer bug', 'next'])
    expect(delivery.congested).toBe(false)
    expect(resumed).toBe(true)
  })
})
