import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { sarifReport } from '../../src/main/scan/format/sarifReport'
import { scanFolder } from '../../src/main/scan/scanFolder'
import { writeTree } from '../helpers/scanTree'

const SCHEMA = JSON.parse(
  readFileSync(join(process.cwd(), 'tests/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')
) as object
// ajv-formats is CommonJS: its default export arrives wrapped under ESM interop.
const addFormats =
  (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false })
  addFormats(ajv)
  return ajv.compile(SCHEMA)
}

interface SarifLog {
  runs: Array<{
    results: Array<{
      ruleId: string
      message: { text: string }
      locations: Array<{
        physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }
      }>
      codeFlows?: Array<{ threadFlows: Array<{ locations: unknown[] }> }>
    }>
    invocations: Array<{ toolExecutionNotifications: unknown[] }>
  }>
}

describe('scan --format sarif', () => {
  it("is valid against SARIF 2.1.0's JSON schema, with a result per finding located at the call", async () => {
    const root = join(process.cwd(), 'tests/fixtures/scan/report002')
    const outcome = await scanFolder({
      root,
      language: 'python',
      entries: [],
      calls: [],
      startup: ['netra_backend.app.main:lifespan']
    })
    const log = sarifReport(outcome.report, root, [...outcome.modules.keys()]) as SarifLog
    const validate = validator()
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true)
    const results = log.runs[0]!.results
    expect(
      results.map((result) => [
        result.ruleId,
        result.locations[0]!.physicalLocation.artifactLocation.uri.split('/').pop(),
        result.locations[0]!.physicalLocation.region.startLine
      ])
    ).toEqual([
      ['SI003', 'startup_module.py', 899],
      ['SI003', 'unified_init.py', 72],
      ['SI003', 'unified_init.py', 77],
      ['SI001', 'unified_init.py', 87]
    ])
    expect(results[3]!.message.text).toContain(
      'test_startup_module.py → startup_module.py → unified_init.py:87'
    )
    expect(results[3]!.codeFlows?.[0]?.threadFlows[0]?.locations).toHaveLength(4)
  })

  it('stays valid with a skipped file, an instance, paths that need encoding, and no findings', async () => {
    const root = writeTree({
      'my app/pool.py':
        'class Pool:\n    def __init__(self):\n        self.connections = []\n\n\npool = Pool()\n',
      'my app/broken.py': 'def broken(:\n',
      'test_pool.py': 'import importlib\n'
    })
    const outcome = await scanFolder({ root, language: 'auto', entries: [], calls: [], startup: [] })
    const log = sarifReport(outcome.report, root, [...outcome.modules.keys()]) as SarifLog
    const validate = validator()
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true)
    expect(log.runs[0]!.results.map((result) => result.ruleId)).toEqual(['SI002'])
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe(
      'my%20app/pool.py'
    )
    expect(log.runs[0]!.invocations[0]!.toolExecutionNotifications).toHaveLength(1)

    const clean = await scanFolder({
      root: writeTree({ 'a.py': 'x = 1\n' }),
      language: 'python',
      entries: [],
      calls: [],
      startup: []
    })
    expect(validate(sarifReport(clean.report, root, []))).toBe(true)
  })

  it('the schema is the one it claims to be, and rejects what is not SARIF', () => {
    expect((SCHEMA as { title: string }).title).toBe(
      'Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema'
    )
    const validate = validator()
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false)
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false)
  })
})
