import { createContext, useContext } from 'react'
import type { SendCommand } from '../../../shared/inspectorApi'

export interface SessionActions {
  send: SendCommand
  setLaneCapacity(capacity: number): void
  /** A replay is shown: controls that change the live runtime are disabled, since their effect would not show. */
  readOnly: boolean
  /** Users this UI asked the runtime to make slow (the runtime does not report it); cleared with each new runtime. */
  slowUsers: Readonly<Record<string, boolean>>
  setUserSlow(userId: string, slow: boolean): void
}

export const SessionContext = createContext<SessionActions | null>(null)

export function useSessionActions(): SessionActions {
  const actions = useContext(SessionContext)
  if (actions === null)
    throw new Error('useSessionActions() needs a <SessionContext.Provider> above it (see App.tsx).')
  return actions
}
