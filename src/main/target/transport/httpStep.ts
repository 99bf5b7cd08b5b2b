import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { parseJson } from '../../../shared/json'
import type { Captured, HttpPlan, TlsPlan } from '../userPlan'
import { captureValues } from './captureValues'
import type { CookieJar } from './cookieJar'

/** A reply body larger than this is cut: a login or a run start answers with a little JSON. */
const MAX_REPLY_BYTES = 1024 * 1024
const EXCERPT_CHARS = 200

export interface HttpStepOptions {
  jar: CookieJar
  tls: TlsPlan
  timeoutMs: number
}

/**
 * Makes one HTTP step of a user: its request with the user's cookies, the reply's cookies kept in the jar, and
 * its captures read from the JSON reply. A reply other than 2xx, an unreachable server or a missing capture
 * rejects with the step's field, what was sent (method and url) and what came back.
 */
export async function runHttpStep(plan: HttpPlan, options: HttpStepOptions): Promise<Captured> {
  const cookie = options.jar.header()
  const headers: Record<string, string> = { ...plan.headers }
  if (cookie !== null && !Object.keys(headers).some((name) => name.toLowerCase() === 'cookie'))
    headers.Cookie = cookie
  const what = `${plan.field}: ${plan.method} ${maskedUrl(plan.url)}`
  const reply = await send(plan, headers, options).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`${what} failed: ${reason}`)
  })
  options.jar.absorb(reply.setCookie)
  // A redirect is success, not followed: a login form answers 302 with its session cookie, as browsers see it.
  if (reply.status < 200 || reply.status > 399)
    throw new Error(`${what} answered HTTP ${reply.status}${excerpt(reply.text)}`)
  if (Object.keys(plan.capture).length === 0) return {}
  const parsed = parseJson(reply.text)
  if (!parsed.ok)
    throw new Error(
      `${what} answered ${reply.status} with no JSON to capture from (${parsed.error})${excerpt(reply.text)}`
    )
  return captureValues(plan.field, plan.capture, parsed.value, 'reply')
}

interface Reply {
  status: number
  text: string
  setCookie: string[] | undefined
}

function send(plan: HttpPlan, headers: Record<string, string>, options: HttpStepOptions): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = new URL(plan.url)
    const tls =
      url.protocol === 'https:'
        ? { ca: options.tls.ca, rejectUnauthorized: options.tls.rejectUnauthorized }
        : {}
    const make = url.protocol === 'https:' ? httpsRequest : httpRequest
    const request = make(
      url,
      // No shared keep-alive agent: an idle pooled socket would keep the CLI alive for seconds after the verdict.
      { method: plan.method, headers, timeout: options.timeoutMs, agent: false, ...tls },
      (response) => {
        const chunks: Buffer[] = []
        let size = 0
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_REPLY_BYTES) chunks.push(chunk)
          size += chunk.length
        })
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).subarray(0, MAX_REPLY_BYTES).toString(),
            setCookie: response.headers['set-cookie']
          })
        )
        response.on('error', reject)
      }
    )
    request.on('timeout', () =>
      request.destroy(new Error(`no reply within ${options.timeoutMs} ms (timeouts.ackMs)`))
    )
    request.on('error', reject)
    request.end(plan.body ?? undefined)
  })
}

/** The url as messages show it: query values may be credentials, so each is `***`. */
function maskedUrl(text: string): string {
  const url = new URL(text)
  for (const name of new Set(url.searchParams.keys())) url.searchParams.set(name, '***')
  return url.toString()
}

function excerpt(text: string): string {
  const trimmed = text.trim()
  if (!trimmed) return ''
  return `: ${trimmed.length > EXCERPT_CHARS ? `${trimmed.slice(0, EXCERPT_CHARS)}…` : trimmed}`
}
