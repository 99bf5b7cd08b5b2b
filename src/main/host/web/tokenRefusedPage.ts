import type { ServerResponse } from 'node:http'
import { SECURITY_HEADERS } from '../../security/securityHeaders'

/**
 * The page a browser gets for our URL without its token, or with another launch's: it says what is wrong and what to
 * open instead. Static text, nothing from the request echoed back.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Session Inspector: wrong or missing token</title>
</head>
<body>
<main data-testid="token-refused">
<h1>Wrong or missing token</h1>
<p>This Session Inspector server only serves its page to the URL it printed when it started, token included
(<code>http://127.0.0.1:PORT/?token=…</code>). The token in this address is missing, or belongs to another launch.</p>
<p>Open the URL the running <code>session-inspector serve</code> printed (with <code>--json</code>, the
<code>url</code> field), or start it with <code>--token T</code> to keep one token across launches.</p>
</main>
</body>
</html>
`

/** 401, as the control channel answers the same mistake; HEAD gets the status without the body. */
export function sendTokenRefusedPage(response: ServerResponse, method: string | undefined): void {
  response.writeHead(401, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(PAGE),
    'Cache-Control': 'no-store'
  })
  response.end(method === 'HEAD' ? undefined : PAGE)
}
