import type { CommandReply } from '../../shared/inspectorApi'
import type { ObserveOutcome, ObserveStartResult, ObserveStatusResult } from '../../shared/observeResult'
import { startObserveProxy, type ObserveProxy } from '../observe/observeProxy'
import { ObservedSession } from '../observe/observedSession'
import { observeExitCode } from '../observe/observeSummary'
import type { RelayObserver } from '../observe/relayObserver'
import { checkUpstreamReachable } from '../observe/upstreamReachable'
import { parseUpstream, type UpstreamTarget } from '../observe/upstreamTarget'
import { userRulesSchema, type UserRule } from '../observe/userRules'
import type { InspectionBus } from '../runtime/inspection/inspectionBus'
import { describeIssues } from './commandErrors'
import type { HostCommand } from './inspectorHost'

type ObserveCommand = Extract<HostCommand, { cmd: 'observe_start' | 'observe_stop' | 'observe_status' }>
type StartCommand = Extract<ObserveCommand, { cmd: 'observe_start' }>

interface Observation {
  proxy: ObserveProxy
  session: ObservedSession
  upstream: string
  rules: string[]
  ownerIds: string[]
  startedAt: number
}

export interface ObserveCommands {
  handle(command: ObserveCommand): Promise<CommandReply>
  /**
   * Ends the observation going on, if any (the runtime is being rebuilt, or the host closes): its summary stays
   * as `last` for observe_status.
   */
  end(): Promise<void>
}

/**
 * Observe mode from the app: the CLI's relay and judge (src/main/observe), with the judge emitting into the
 * session's own inspection bus, so observed connections, frames and leaks reach the views through the same
 * pushes, history and session recording as everything else. `bus` is read at each start: a runtime rebuilt later
 * has a new one, and the host ends the observation before that (end()). One observation at a time.
 */
export function createObserveCommands(bus: () => InspectionBus): ObserveCommands {
  let current: Observation | null = null
  /** An observe_start between its first await and its reply: a second start waits for none, end() for it. */
  let starting: Promise<CommandReply> | null = null
  let last: ObserveStatusResult['last'] = null

  const outcome = (observation: Observation): ObserveOutcome => {
    const summary = observation.session.summary()
    return { summary, relay: observation.proxy.stats(), exitCode: observeExitCode(summary) }
  }

  const stop = async (endedBy: 'stop' | 'restart'): Promise<ObserveOutcome | null> => {
    const observation = current
    if (observation === null) return null
    current = null
    await observation.proxy.close()
    const final = outcome(observation)
    last = { ...final, endedBy }
    return final
  }

  const start = async (command: StartCommand): Promise<CommandReply> => {
    if (current !== null || starting !== null)
      return fail(`Already observing ${current?.upstream ?? 'an upstream'}; stop it first (observe_stop).`)
    const upstream = parseUpstream(command.upstream)
    if (typeof upstream === 'string') return fail(`upstream: ${upstream}`, 'upstream')
    const rules = userRulesSchema.safeParse(command.user_from)
    if (!rules.success) {
      const { message, path } = describeIssues(
        rules.error,
        'user_from rule',
        'See docs/observe-mode.md, Attribution rules.'
      )
      return fail(message, path === undefined ? 'user_from' : `user_from.${path}`)
    }
    const ownerIds = command.owner_ids ?? []
    starting = listen(command, upstream, rules.data, ownerIds)
    try {
      return await starting
    } finally {
      starting = null
    }
  }

  const listen = async (
    command: StartCommand,
    upstream: UpstreamTarget,
    rules: UserRule[],
    ownerIds: string[]
  ): Promise<CommandReply> => {
    const unreachable = await checkUpstreamReachable(upstream)
    if (unreachable !== null)
      return fail(
        `The upstream ${upstream.url} is unreachable (${unreachable}); start your backend or fix the upstream.`,
        'upstream'
      )
    // The judge is made once the port is bound, so a port in use leaves no observe_started in the stream. No
    // connection can reach the relay before then: the listen callback resolves ahead of any accepted socket.
    let judge: ObservedSession | null = null
    const observer: RelayObserver = {
      connectionOpened: (request, at) => (judge as ObservedSession).connectionOpened(request, at),
      message: (...args) => judge?.message(...args),
      connectionClosed: (...args) => judge?.connectionClosed(...args)
    }
    let proxy: ObserveProxy
    try {
      proxy = await startObserveProxy({ upstream, observer, port: command.listen ?? 0 })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EADDRINUSE' || code === 'EACCES')
        return fail(
          `Cannot listen on 127.0.0.1:${command.listen ?? 0} (${code}); pick another port, or 0 for a free one.`,
          'listen'
        )
      throw error
    }
    const session = new ObservedSession({
      bus: bus(),
      rules,
      ownerIds,
      canaries: command.canaries ?? true,
      source: upstream.url
    })
    judge = session
    current = {
      proxy,
      session,
      upstream: upstream.url,
      rules: rules.map((rule) => rule.text),
      ownerIds: [...ownerIds],
      startedAt: Date.now()
    }
    return ok({ url: proxy.url, port: proxy.port, upstream: upstream.url } satisfies ObserveStartResult)
  }

  const status = (): ObserveStatusResult => ({
    running:
      current === null
        ? null
        : {
            url: current.proxy.url,
            upstream: current.upstream,
            rules: current.rules,
            ownerIds: current.ownerIds,
            startedAt: current.startedAt,
            soFar: outcome(current)
          },
    last
  })

  return {
    async handle(command) {
      switch (command.cmd) {
        case 'observe_start':
          return start(command)
        case 'observe_stop': {
          const final = await stop('stop')
          return final === null
            ? fail('Nothing is being observed; start with observe_start.')
            : ok(final satisfies ObserveOutcome)
        }
        case 'observe_status':
          return ok(status())
      }
    },
    async end() {
      await starting
      await stop('restart')
    }
  }
}

const ok = (result: unknown): CommandReply => ({ ok: true, result })
const fail = (message: string, path?: string): CommandReply => ({
  ok: false,
  error: path === undefined ? { message } : { message, path }
})
