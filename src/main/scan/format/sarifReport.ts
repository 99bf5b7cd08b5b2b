import { pathToFileURL } from 'node:url'
import type { ChainStep, ScanFinding, ScanReport } from '../../../shared/scanReport'
import { chainText } from './textReport'
import { shortNames } from './shortNames'

/** The rules a finding can break; a result names its rule by id and index. */
const RULES = [
  {
    id: 'SI001',
    name: 'ImportTimePerUserResource',
    text: 'A per-user resource (a WebSocket manager, an emitter pool) is fetched or created when the module is imported.',
    help: 'No request context exists at import time. Create the resource per request from a UserExecutionContext, or defer it.'
  },
  {
    id: 'SI002',
    name: 'ImportTimeConnectionHolder',
    text: 'A class that holds connections is instantiated when the module is imported: one instance for every user.',
    help: 'Create the instance per user (through a factory that takes the user context), not at module level.'
  },
  {
    id: 'SI003',
    name: 'StartupPerUserResource',
    text: 'A per-user resource is fetched or created by start-up code, before any user is connected.',
    help: 'Start-up may check that the factory exists; it cannot create a per-user resource without a user.'
  }
] as const

const ROOT_ID = 'SRCROOT'

function ruleIndexOf(finding: ScanFinding): number {
  if (finding.phase === 'startup') return 2
  return finding.kind === 'instance' ? 1 : 0
}

/** A path relative to the scanned folder as a URI reference (each segment percent-encoded). */
function uriOf(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/')
}

function physicalLocation(file: string, line: number | null, column?: number, snippet?: string) {
  return {
    artifactLocation: { uri: uriOf(file), uriBaseId: ROOT_ID },
    ...(line === null
      ? {}
      : {
          region: {
            startLine: line,
            ...(column === undefined ? {} : { startColumn: column }),
            ...(snippet === undefined ? {} : { snippet: { text: snippet } })
          }
        })
  }
}

/** Where each step of a chain happens: an import is located at the import statement in the file before it. */
function threadFlowLocations(steps: readonly ChainStep[]) {
  return steps.map((step, index) => {
    const previous = steps[index - 1]
    if (step.kind === 'import' && previous)
      return {
        location: {
          physicalLocation: physicalLocation(previous.file, step.line),
          message: { text: `imports ${step.file}` }
        }
      }
    const text =
      step.kind === 'entry'
        ? 'entry point'
        : step.kind === 'startup'
          ? `start-up entry point ${step.name ?? ''}`
          : step.kind === 'call'
            ? `calls ${step.name ?? ''}()`
            : 'the call'
    return { location: { physicalLocation: physicalLocation(step.file, step.line), message: { text } } }
  })
}

/** SARIF 2.1.0: one result per finding, located at the call, with one code flow per chain. */
export function sarifReport(report: ScanReport, absoluteRoot: string, files: readonly string[]): unknown {
  const short = shortNames(files)
  const results = report.findings.map((finding) => {
    const ruleIndex = ruleIndexOf(finding)
    const chain = finding.chains[0]
    const what =
      finding.kind === 'instance'
        ? `an instance of ${finding.call}, which holds connections,`
        : `${finding.call}()`
    const when = finding.phase === 'import' ? 'at import time' : 'at start-up'
    return {
      ruleId: RULES[ruleIndex]!.id,
      ruleIndex,
      level: 'error',
      message: {
        text: `${what} runs ${when}` + (chain ? `: ${chainText(chain, short)}` : '; no entry point loads it')
      },
      locations: [
        { physicalLocation: physicalLocation(finding.file, finding.line, finding.column, finding.code) }
      ],
      ...(finding.chains.length > 0
        ? {
            codeFlows: finding.chains.map((entryChain) => ({
              message: { text: chainText(entryChain, short) },
              threadFlows: [{ locations: threadFlowLocations(entryChain.steps) }]
            }))
          }
        : {})
    }
  })
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'session-inspector scan',
            rules: RULES.map((rule) => ({
              id: rule.id,
              name: rule.name,
              shortDescription: { text: rule.text },
              help: { text: rule.help },
              defaultConfiguration: { level: 'error' }
            }))
          }
        },
        originalUriBaseIds: {
          [ROOT_ID]: { uri: `${pathToFileURL(absoluteRoot).href.replace(/\/?$/, '/')}` }
        },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: true,
            exitCode: report.exitCode,
            toolExecutionNotifications: report.skipped.map((skipped) => ({
              level: 'warning',
              message: { text: `skipped, does not parse: ${skipped.message}` },
              locations: [{ physicalLocation: physicalLocation(skipped.file, skipped.line, skipped.column) }]
            }))
          }
        ],
        results
      }
    ]
  }
}
