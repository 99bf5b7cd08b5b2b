/** Shows any JSON value as a collapsible tree; long arrays are cut so a big trace cannot freeze the page. */
const MAX_ITEMS = 100

export function JsonView({
  value,
  name,
  depth = 0
}: {
  value: unknown
  name?: string
  depth?: number
}): React.JSX.Element {
  const label = name === undefined ? null : <span className="json-key">{name}: </span>
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json-leaf">
        {label}
        <span className={`json-${value === null ? 'null' : typeof value}`}>
          {JSON.stringify(value) ?? 'undefined'}
        </span>
      </div>
    )
  }
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.slice(0, MAX_ITEMS).map((item, i) => [String(i), item])
    : Object.entries(value)
  const total = Array.isArray(value) ? value.length : entries.length
  return (
    <details className="json-node" open={depth < 2}>
      <summary>
        {label}
        <span className="muted">{Array.isArray(value) ? `Array(${total})` : `{${total}}`}</span>
      </summary>
      {entries.map(([key, item]) => (
        <JsonView key={key} name={key} value={item} depth={depth + 1} />
      ))}
      {total > entries.length && <div className="muted">… {total - entries.length} more</div>}
    </details>
  )
}
