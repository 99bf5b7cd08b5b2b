import { TABS, type TabId } from '../tabs'

export function TabBar({
  active,
  onSelect
}: {
  active: TabId
  onSelect: (tab: TabId) => void
}): React.JSX.Element {
  return (
    <nav className="tabs" role="tablist">
      {TABS.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          className="tab"
          aria-selected={tab.id === active}
          data-testid={`tab-${tab.id}`}
          data-active={tab.id === active}
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </nav>
  )
}
