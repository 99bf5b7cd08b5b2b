import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scanReportSchema } from '../../src/shared/scanReport'
import { writeTree } from '../helpers/scanTree'
import { runCli as cli } from '../helpers/runCli'

const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)

describe('session-inspector scan', { timeout: 90_000 }, () => {
  it('exits 0 when nothing is found', async () => {
    const root = writeTree({ 'app.py': 'def handler(context):\n    return get_websocket_manager(context)\n' })
    const result = await cli(['scan', root])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('0 findings')
  })

  it('exits 1 when something is found, and --format json is the report', async () => {
    const root = writeTree({
      'app.py': 'manager = get_websocket_manager()\n',
      'test_app.py': 'import app\n',
      'broken.py': 'def broken(:\n'
    })
    const result = await cli(['scan', root, '--format', 'json'])
    expect(result.code).toBe(1)
    const report = scanReportSchema.parse(JSON.parse(result.stdout))
    expect(report.findings.map((finding) => [finding.file, finding.line, finding.chains[0]?.entry])).toEqual([
      ['app.py', 1, 'test_app.py']
    ])
    expect(report.skipped.map((skipped) => `${skipped.file}:${skipped.line}`)).toEqual(['broken.py:1'])
  })

  it('names the file that does not parse in text output and still scans the rest', async () => {
    const root = writeTree({ 'app.py': 'manager = get_websocket_manager()\n', 'broken.py': 'x = (\n' })
    const result = await cli(['scan', root])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/skipped broken\.py:\d+:\d+: syntax error/)
    expect(result.stdout).toContain('app.py:1  get_websocket_manager()  runs at import time')
  })

  it('--scenario writes a scenario that `run FILE` replays: the failure, and its fix', async () => {
    const file = join(writeTree({}), 'from-scan.json')
    const scanned = await cli(['scan', 'tests/fixtures/scan/report000', '--scenario', file])
    expect(scanned.code).toBe(1)
    expect(scanned.stderr).toContain(`scenario written to ${file}`)
    const replayed = await cli(['run', file])
    expect(replayed.stdout).toContain('failure reproduced: yes; fix fixes it: yes')
    expect(replayed.code).toBe(0)
  })

  it.each([
    [['scan'], 'give exactly one folder'],
    [['scan', '/nonexistent/folder'], 'not a folder'],
    [['scan', '.', '--format', 'xml'], '--format'],
    [['scan', '.', '--lang', 'go'], '--lang'],
    [['scan', '.', '--call', 'not a name'], '--call'],
    [['scan', '.', '--startup', 'no_colon'], '--startup'],
    [['scan', '.', '--bogus'], "Unknown option '--bogus'"]
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const result = await cli(args)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
    expect(result.stderr).toContain('usage: session-inspector scan <dir>')
    noStackTrace(result.stderr)
  })

  it('exits 2 when a --startup entry point is not in the tree', async () => {
    const root = writeTree({ 'app.py': 'def lifespan():\n    pass\n' })
    const result = await cli(['scan', root, '--startup', 'app:missing'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("'missing' is not a function defined in app.py")
    noStackTrace(result.stderr)
  })
})
