import { createContext, useContext } from 'react'
import type { Command, CommandReply } from '../../../shared/inspectorApi'

export interface SessionActions {
  send(command: Command): Promise<CommandReply>
  setLaneCapacity(capacity: number): void
}

export const SessionContext = createContext<SessionActions | null>(null)

export function useSessionActions(): SessionActions {
  const actions = useContext(SessionContext)
  if (actions === null)
    throw new Error('useSessionActions() needs a <SessionContext.Provider> above it (see App.tsx).')
  return actions
}
