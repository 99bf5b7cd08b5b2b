import { useMemo, useState } from 'react'
import type { InspectorConnection } from './client/connection'
import { ConnectionBanner } from './components/ConnectionBanner'
import { ReplayBanner } from './components/ReplayBanner'
import { StatusBar } from './components/StatusBar'
import { TabBar } from './components/TabBar'
import { replayCursor, type Replay } from './session/replay'
import { SessionContext, type SessionActions } from './session/SessionContext'
import { useInspectorSession } from './session/useInspectorSession'
import { useReplayView, useTimelineProgress } from './session/useReplayView'
import { createInitialState, runsInFlight, type InspectorState } from './store'
import type { TabId } from './tabs'
import { FactoryView } from './views/factory/FactoryView'
import { FaultsView } from './views/faults/FaultsView'
import { ObserveView } from './views/observe/ObserveView'
import { useObserve, type ObserveRun } from './views/observe/useObserve'
import { ScenariosView } from './views/scenarios/ScenariosView'
import { SessionsView } from './views/sessions/SessionsView'
import { StartupView } from './views/startup/StartupView'
import { TargetView } from './views/target/TargetView'
import { useTargetRun, type TargetRun } from './views/target/useTargetRun'
import { UsersView } from './views/users/UsersView'

export function App({ connection }: { connection: InspectorConnection }): React.JSX.Element {
  const session = useInspectorSession(connection)
  const target = useTargetRun(session.send)
  const observe = useObserve(session.send)
  const [tab, setTab] = useState<TabId>('startup')
  const [replay, setReplay] = useState<Replay | null>(null)
  const progress = useTimelineProgress(replay?.timeline ?? null)
  const view = useReplayView(replay, progress)
  const machine = session.state?.machine ?? null
  // Until a replay's first view is ready its views show the empty session, never the live one.
  const before = useMemo(() => ({ ...createInitialState(), machine }), [machine])
  // Every view is a projection; a replay only swaps which projection they read.
  const shown = replay === null ? session.state : (view?.state ?? before)
  const { send, setLaneCapacity, slowUsers, setUserSlow } = session
  const readOnly = replay !== null
  // While a target run goes, and beside its report, the top bar shows that run's figures, never the runtime's.
  const bar =
    target.status.kind === 'running'
      ? { state: session.state, source: 'target' as const }
      : tab === 'target' && target.status.kind === 'done'
        ? { state: target.status.final, source: 'target' as const }
        : { state: shown, source: replay === null ? ('runtime' as const) : ('replay' as const) }
  // Of the live session, whatever is shown: a script waits for data-busy="false" before it reads the counts.
  const running = session.state === null ? 0 : runsInFlight(session.state)
  const busy = session.commandsInFlight > 0 || running > 0
  const actions = useMemo<SessionActions>(
    () => ({ send, setLaneCapacity, readOnly, slowUsers, setUserSlow }),
    [send, setLaneCapacity, readOnly, slowUsers, setUserSlow]
  )
  const openReplay = (next: Replay, showTab?: TabId): void => {
    replay?.timeline.close()
    setReplay(next)
    if (showTab !== undefined) setTab(showTab)
  }
  const closeReplay = (): void => {
    replay?.timeline.close()
    setReplay(null)
  }

  return (
    <SessionContext.Provider value={actions}>
      <div
        className="app"
        data-testid="app-shell"
        data-busy={busy}
        data-commands-in-flight={session.commandsInFlight}
        data-runs-in-flight={running}
      >
        <header className="toolbar">
          <span className="app-title">Session Inspector</span>
          <TabBar active={tab} onSelect={setTab} />
          <StatusBar
            state={bar.state}
            source={bar.source}
            connection={session.connection}
            transport={session.transport}
          />
        </header>
        <ConnectionBanner connection={session.connection} helloError={session.helloError} />
        {replay !== null && (
          <ReplayBanner
            replay={replay}
            cursor={replayCursor(replay, progress.events)}
            progress={progress}
            view={view}
            onSeek={(cursor) => setReplay({ ...replay, cursor })}
            onExit={closeReplay}
          />
        )}
        <main className="panel" data-testid={`view-${tab}`}>
          <ActiveView
            tab={tab}
            state={shown}
            live={session.state}
            target={target}
            observe={observe}
            onOpenReplay={openReplay}
          />
        </main>
      </div>
    </SessionContext.Provider>
  )
}

interface ActiveViewProps {
  tab: TabId
  /** What the projection views show: the live state, or a replay at its cursor. */
  state: InspectorState | null
  live: InspectorState | null
  /** The Target tab's form and last run, held here so that both survive switching tabs. */
  target: TargetRun
  /** The Observe tab's form, relay and last summary, held here like the target run. */
  observe: ObserveRun
  onOpenReplay: (replay: Replay, showTab?: TabId) => void
}

function ActiveView({ tab, state, live, target, observe, onOpenReplay }: ActiveViewProps): React.JSX.Element {
  // Scenarios, target and sessions talk to the runtime directly; the other views are projections and need a state.
  if (tab === 'target')
    return <TargetView target={target} machine={live?.machine ?? null} onOpenReplay={onOpenReplay} />
  if (tab === 'scenarios')
    return <ScenariosView machine={live?.machine ?? null} onOpenReplay={onOpenReplay} />
  // Observe shows the live session whatever is replayed: its relay and lanes are happening now.
  if (tab === 'observe') return <ObserveView observe={observe} live={live} />
  if (tab === 'sessions') return <SessionsView live={live} onOpen={onOpenReplay} />
  if (state === null) {
    return (
      <div className="empty" data-testid="waiting-for-runtime">
        Waiting for the runtime&apos;s hello…
      </div>
    )
  }
  switch (tab) {
    case 'startup':
      return <StartupView state={state} machine={live?.machine ?? null} onOpenReplay={onOpenReplay} />
    case 'factory':
      return <FactoryView state={state} />
    case 'users':
      return <UsersView state={state} />
    case 'faults':
      return <FaultsView state={state} />
  }
}
