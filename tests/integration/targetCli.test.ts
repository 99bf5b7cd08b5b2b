import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readRecording } from '../../src/main/runtime/inspection/recordingReader'
import { startSampleBackend, type SampleBackend } from '../fixtures/sampleBackend/sampleBackend'
import { EXAMPLE_PATH } from '../helpers/targetHarness'
import { runCli as cli } from '../helpers/runCli'

const TARGET_DOC = new URL('../../docs/target-mode.md', import.meta.url)
/** Fields whose keys are the backend's types or the users' ids, not names of the format. */
const KEYED_BY_DATA = new Set(['frames.otherTypes', 'unseenRuns'])

/**
 * Every field of a `target --json` report that docs/target-mode.md's "The JSON report" table does not name: a field
 * as `path` in its first column, or a list element's member in the row of `path[]`.
 */
function undocumentedReportFields(report: unknown): string[] {
  const doc = readFileSync(TARGET_DOC, 'utf8')
  const section = doc.slice(doc.indexOf('### The JSON report'), doc.indexOf('## How a run goes'))
  const rows = section.split('\n').filter((line) => line.startsWith('| `'))
  const named = (path: string): boolean => rows.some((row) => (row.split('|')[1] ?? '').includes(`\`${path}\``))
  const rowOf = (path: string): string | undefined => rows.find((row) => row.startsWith(`| \`${path}\``))
  const missing: string[] = []
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      if (!named(`${path}[]`)) missing.push(`${path}[]`)
      for (const element of value)
        if (element !== null && typeof element === 'object')
          for (const key of Object.keys(element))
            if (!new RegExp(`\\b${key}\\b`).test(rowOf(`${path}[]`) ?? '')) missing.push(`${path}[].${key}`)
      return
    }
    if (value === null || typeof value !== 'object' || KEYED_BY_DATA.has(path)) {
      if (!named(path)) missing.push(path)
      return
    }
    for (const [key, inner] of Object.entries(value)) visit(inner, path ? `${path}.${key}` : key)
  }
  visit(report, '')
  return [...new Set(missing)]
}

describe('session-inspector target', () => {
  let backend: SampleBackend
  beforeAll(async () => {
    backend = await startSampleBackend({ bug: 'broadcast' })
  })
  afterAll(() => backend.close())

  it('exits 1 on a leak, --json names both users of every leak, --record writes a replayable stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'si-target-'))
    const record = join(dir, 'target.ndjson')
    const result = await cli([
      'target',
      EXAMPLE_PATH,
      '--users',
      '2',
      '--runs',
      '1',
      '--url',
      `${backend.url}?room={{room}}`,
      '--json',
      '--record',
      record
    ])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as {
      leaks: Array<{ from: string; to: string }>
      exitCode: number
    }
    expect(report.leaks.map((leak) => `${leak.from}->${leak.to}`)).toEqual([
      'user_1->user_2',
      'user_2->user_1'
    ])
    expect(report.exitCode).toBe(1)
    expect(undocumentedReportFields(JSON.parse(result.stdout))).toEqual([])
    const read = readRecording(readFileSync(record, 'utf8'))
    expect(read.ok && read.events.filter((event) => event.kind === 'isolation_violation')).toHaveLength(10)
  })

  it('exits 2 naming the field of a bad target file, before connecting anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'si-target-'))
    const bad = join(dir, 'bad.target.json')
    writeFileSync(bad, JSON.stringify({ url: 'ws://127.0.0.1:1/ws', start: { text: 'hi {{usr}}' } }))
    const result = await cli(['target', bad, '--users', '1', '--runs', '1', '--json'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('start: no template uses {{canary}}')
    // As documented for scripts: exit 2 prints no report, even with --json.
    expect(result.stdout).toBe('')
  })
})

describe('session-inspector target: what the report says when things go wrong', () => {
  it('a web server’s 404 page is one line for all users, and the verdict says nobody connected and why', async () => {
    const page =
      '<html><head><title>404 Not Found</title></head><body>' +
      '<p>lorem ipsum</p>'.repeat(200) +
      '</body></html>'
    const server = createServer((_request, response) => response.writeHead(404).end())
    server.on('upgrade', (_request, socket: Duplex) =>
      socket.end(
        `HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(page)}\r\nConnection: close\r\n\r\n${page}`
      )
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    try {
      const result = await cli([
        'target',
        EXAMPLE_PATH,
        '--users',
        '4',
        '--runs',
        '1',
        '--url',
        `ws://127.0.0.1:${port}/wrong?room={{room}}`
      ])
      expect(result.code).toBe(5)
      const lines = result.stdout.split('\n')
      const refused = lines.filter((line) => line.startsWith('  ') && line.includes('handshake refused'))
      expect(refused).toEqual([
        '  user_1, user_2, user_3, ... (4 users): handshake refused with HTTP 404: 404 Not Found; sent query parameter token (values redacted); check auth and users in the target file'
      ])
      expect(result.stdout).not.toContain('lorem ipsum')
      expect(lines).toContain('runs:               none started: no user connected (see the errors above)')
      expect(lines).toContain(
        'verdict:            incomplete: no user connected: every user got "handshake refused with HTTP 404: 404 Not Found; sent query parameter token (values redacted); check auth and users in the target file"'
      )
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('a missing --users is named as missing', async () => {
    const result = await cli(['target', EXAMPLE_PATH, '--runs', '1'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('target: --users: required, but missing; give --users <value>')
  })
})
