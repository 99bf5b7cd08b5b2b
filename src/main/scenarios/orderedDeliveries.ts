import type { DeliveredEvent, Receiver } from '../runtime/audit/isolationAuditor'
import type { DeliverySink } from '../runtime/users/simulatedUser'

interface Pending {
  receiver: Receiver
  event: DeliveredEvent
  receivedAt: number
}

/**
 * Holds deliveries until a run settles, then hands them to the auditor in a fixed order: by when the runtime
 * emitted the event, then by the receiver's place in the scenario. Sockets of different users are read in no
 * fixed order; without this, two replays with the same seed would differ in trace order. Latency still comes
 * from the real arrival time.
 */
export class OrderedDeliveries {
  private pending: Pending[] = []
  received = 0

  constructor(
    private readonly record: DeliverySink,
    private readonly emittedOrder: (eventId: string) => number,
    private readonly receiverRank: (userId: string) => number
  ) {}

  readonly sink: DeliverySink = (receiver, event, receivedAt) => {
    this.pending.push({ receiver, event, receivedAt })
    this.received += 1
  }

  flush(): void {
    const batch = this.pending
    this.pending = []
    batch.sort(
      (a, b) =>
        this.emittedOrder(a.event.event_id) - this.emittedOrder(b.event.event_id) ||
        this.receiverRank(a.receiver.user_id) - this.receiverRank(b.receiver.user_id)
    )
    for (const delivery of batch) this.record(delivery.receiver, delivery.event, delivery.receivedAt)
  }
}
