export function CommandError({ error }: { error: string | null }): React.JSX.Element | null {
  if (error === null) return null
  return (
    <div className="command-error" role="alert" data-testid="command-error">
      {error}
    </div>
  )
}
