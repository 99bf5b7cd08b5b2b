import { describe, expect, it } from 'vitest'
import { chainText } from '../../src/main/scan/format/textReport'
import { shortNames } from '../../src/main/scan/format/shortNames'
import { scanFolder } from '../../src/main/scan/scanFolder'
import { markedLines, writeTree } from '../helpers/scanTree'

/** Every form that runs when the module is evaluated ends `// FOUND`; nothing else may be reported. */
const SERVICE = `import type { Manager } from './ws'
import { getWebSocketManager as getManager } from './index'
import * as ws from './ws'
import { ConnectionRegistry, PlainThing } from './index'
// getManager() in a comment is not a call
const text = 'getManager()'

export const manager: Manager = getManager() // FOUND
const viaNamespace = ws.getWebSocketManager() // FOUND
export const registry = new ConnectionRegistry() // FOUND
const plain = new PlainThing()

function decorate(..._args: unknown[]) {
  return getManager() // FOUND
}

@decorate(getManager()) // FOUND
class Service {
  static shared = getManager() // FOUND
  static {
    getManager() // FOUND
  }
  instance = getManager()
  get lazy() {
    return getManager()
  }
  method(value = getManager()) {
    return value
  }
}

function helper() {
  return getManager() // FOUND
}
helper()

const arrow = () => getManager()
async function later() {
  return getManager()
}
void later()
;(() => {
  getManager() // FOUND
})()

if (require.main === module) {
  getManager()
}

for (const name of ['a']) {
  if (name) getManager() // FOUND
}

export default getManager() // FOUND
export { text, viaNamespace, plain, Service, arrow }
`

const TREE = {
  'src/ws.ts': `export function getWebSocketManager(context?: unknown) {\n  return { context }\n}\nexport type Manager = ReturnType<typeof getWebSocketManager>\n`,
  'src/registry.ts': `export class ConnectionRegistry {\n  private readonly connections = new Map<string, unknown>()\n}\nexport class PlainThing {\n  private readonly items = new Map<string, unknown>()\n}\n`,
  'src/index.ts': `export * from './ws'\nexport { ConnectionRegistry, PlainThing } from './registry.js'\n`,
  'src/service.ts': SERVICE,
  'src/service.test.ts': `import { manager } from './service'\nconsole.log(manager)\n`,
  'src/types.spec.ts': `import type { Manager } from './service'\nimport { type Manager as Other } from './service'\nexport type Both = [Manager, Other]\n`,
  'src/broken.ts': 'export const = ;\n'
}

describe('scan: TypeScript through the compiler API', () => {
  it('finds what runs when the module is evaluated, and nothing else', async () => {
    const root = writeTree(TREE)
    const { report } = await scanFolder({ root, language: 'typescript', entries: [], calls: [], startup: [] })
    const lines = report.findings
      .filter((finding) => finding.file === 'src/service.ts')
      .map((finding) => finding.line)
    expect([...new Set(lines)].sort((a, b) => a - b)).toEqual(markedLines(SERVICE, '// FOUND'))
    expect(report.findings.filter((finding) => finding.file !== 'src/service.ts')).toEqual([])
    expect(report.findings.find((finding) => finding.line === 10)).toMatchObject({
      kind: 'instance',
      call: 'ConnectionRegistry'
    })
  })

  it('chains from test files through ES imports; type-only imports load nothing', async () => {
    const root = writeTree(TREE)
    const outcome = await scanFolder({ root, language: 'typescript', entries: [], calls: [], startup: [] })
    const short = shortNames([...outcome.modules.keys()])
    const finding = outcome.report.findings.find((entry) => entry.line === 8)
    expect(finding?.chains.map((chain) => chainText(chain, short))).toEqual([
      'service.test.ts → service.ts:8'
    ])
    expect(outcome.report.entries).toEqual(['src/service.test.ts', 'src/types.spec.ts'])
  })

  it('names the file that does not parse and skips it', async () => {
    const root = writeTree(TREE)
    const { report } = await scanFolder({ root, language: 'typescript', entries: [], calls: [], startup: [] })
    expect(report.skipped).toEqual([
      { file: 'src/broken.ts', line: 1, column: 14, message: expect.stringContaining('syntax error') }
    ])
  })
})
