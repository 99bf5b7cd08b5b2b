import { useState } from 'react'

/** Where to point clients: the WebSocket URL, and the same port as a page URL for a browser. */
export function ObserveListenUrl({ url, upstream }: { url: string; upstream: string }): React.JSX.Element {
  const [copied, setCopied] = useState(false)
  const page = `${url.replace(/^ws:/, 'http:')}/`
  const copy = (): void => {
    void navigator.clipboard
      ?.writeText(url)
      .then(() => setCopied(true))
      .catch(() => setCopied(false))
  }
  return (
    <div className="card column" data-testid="observe-listen-url" data-url={url}>
      <div>
        Point your clients at{' '}
        <strong className="mono" data-testid="observe-url">
          {url}
        </strong>{' '}
        instead of <span className="mono">{upstream}</span>{' '}
        <button type="button" data-testid="observe-copy-url" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <div className="muted small">
        Pages and HTTP pass through too: open{' '}
        <a className="mono" href={page} target="_blank" rel="noreferrer" data-testid="observe-page-url">
          {page}
        </a>{' '}
        in a browser profile per user.
      </div>
    </div>
  )
}
