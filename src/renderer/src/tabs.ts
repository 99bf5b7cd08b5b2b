export const TABS = [
  { id: 'startup', label: 'Start-up' },
  { id: 'factory', label: 'Factory' },
  { id: 'users', label: 'Users' },
  { id: 'faults', label: 'Faults' },
  { id: 'scenarios', label: 'Scenarios' },
  { id: 'target', label: 'Target' },
  { id: 'observe', label: 'Observe' },
  { id: 'sessions', label: 'Sessions' }
] as const

export type TabId = (typeof TABS)[number]['id']
