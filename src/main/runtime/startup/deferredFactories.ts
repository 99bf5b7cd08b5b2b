import type { AnyContext } from '../context/contextService'
import type { InspectionBus } from '../inspection/inspectionBus'
import type { WebSocketManagerFactory } from '../websocket/webSocketManagerFactory'

interface Deferred {
  site: string
  name: string
  createdFor: Set<string>
}

/**
 * Seed 002's fix: the emitter pool and the legacy helpers are not built at import but registered as deferred
 * factories (DeferredEmitterPoolFactory, DeferredEmitterFactory) that build on first use, once a request brings a
 * context. One registry per runtime; both the registration and each creation leave a backend_call step.
 */
export class DeferredFactories {
  private readonly entries: Deferred[] = []

  constructor(private readonly bus: InspectionBus) {}

  register(site: string, code: string, name: string): void {
    this.entries.push({ site, name, createdFor: new Set() })
    this.bus.emit({
      kind: 'backend_call',
      site,
      code,
      op: 'defer',
      outcome: `${name} registered; it creates on first use, when a context exists`
    })
  }

  get size(): number {
    return this.entries.length
  }

  /** A request of this user uses them: each deferred factory creates its object once per user, on that user's manager. */
  firstUse(context: AnyContext, factory: WebSocketManagerFactory): void {
    for (const entry of this.entries) {
      if (entry.createdFor.has(context.user_id)) continue
      entry.createdFor.add(context.user_id)
      const manager = factory.createManager(context, entry.site)
      this.bus.emit({
        kind: 'backend_call',
        site: entry.site,
        code: `${entry.name}.create(user_context)`,
        op: 'deferred_create',
        outcome: `created on first use for ${context.user_id}, on manager ${manager.id}`
      })
    }
  }
}
