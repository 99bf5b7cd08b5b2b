import { posix } from 'node:path'
import {
  scenarioSchema,
  type Scenario,
  type ScenarioEffect,
  type ScenarioInput
} from '../../../shared/scenario'
import type { ScanFinding, ScanReport } from '../../../shared/scanReport'
import type { ImportEdge } from '../execution'
import { shortNames } from '../format/shortNames'
import type { ModuleTable } from '../resolve'

/** Nothing a scenario could replay: no import-time finding that an entry point loads, and no start-up finding. */
export class NothingToReplayError extends Error {}

/**
 * A scenario whose module graph is the scanned code's own: the entry points and every module on a chain to an
 * import-time finding, with the imports between them, and each finding as an import-time effect (a context-less
 * get_websocket_manager(), which the strict wrapper refuses) at its own file:line. Start-up findings become
 * READINESS hooks. The fix defers every one of them, as each post-mortem's fix does.
 */
export function scanScenario(
  report: ScanReport,
  modules: ModuleTable,
  imports: readonly ImportEdge[]
): Scenario {
  const short = shortNames([...modules.keys()])
  const site = (finding: ScanFinding) => `${short(finding.file)}:${finding.line}`
  const effectOf = (finding: ScanFinding): ScenarioEffect => ({
    site: site(finding),
    code: finding.code,
    call: { op: 'get_websocket_manager' }
  })

  const included = new Set<string>()
  const entries = new Set<string>()
  const effects = new Map<string, ScenarioEffect[]>()
  const atImport = report.findings.filter(
    (finding) => finding.phase === 'import' && finding.chains.length > 0
  )
  for (const finding of atImport) {
    for (const chain of finding.chains) {
      const modulesOnChain = chain.steps.filter((step) => step.kind === 'entry' || step.kind === 'import')
      for (const step of modulesOnChain) included.add(step.file)
      entries.add(chain.entry)
      // The effect runs when the last module of the chain is imported (its body, or a function it calls).
      const owner = modulesOnChain[modulesOnChain.length - 1]!.file
      const list = effects.get(owner) ?? []
      if (!list.some((effect) => effect.site === site(finding))) list.push(effectOf(finding))
      effects.set(owner, list)
    }
  }
  const atStartup = report.findings.filter((finding) => finding.phase === 'startup')
  if (entries.size === 0 && atStartup.length === 0)
    throw new NothingToReplayError(
      'no scenario written: nothing found that an entry point loads or start-up runs'
    )
  if (entries.size === 0) {
    // Start-up findings alone: the start-up entry points' modules stand in as the graph.
    for (const finding of atStartup)
      for (const chain of finding.chains) {
        const first = chain.steps[0]
        if (first) {
          included.add(first.file)
          entries.add(first.file)
        }
      }
  }

  const files = [...included].sort()
  const graphImports = (file: string) => {
    const seen: string[] = []
    for (const edge of imports)
      if (edge.from === file && included.has(edge.to) && edge.to !== file && !seen.includes(edge.to))
        seen.push(edge.to)
    return seen.map(short)
  }
  const testsOf = (file: string) =>
    entries.has(file)
      ? [...(modules.get(file)?.defs.values() ?? [])]
          .filter((def) => def.kind === 'function' && /^(?:Test\w*\.)?test/.test(def.id))
          .map((def) => def.id)
      : []
  const graphModules = files.map((file) => ({
    name: short(file),
    path: file,
    imports: graphImports(file),
    effects: effects.get(file) ?? [],
    tests: testsOf(file)
  }))
  const entryNames = [...entries].sort().map(short)
  const testCount = graphModules.reduce((sum, module) => sum + module.tests.length, 0)
  const first = atImport[0] ?? atStartup[0]!
  const firstEntry = first.chains[0]?.entry ?? first.file
  const folder = posix.basename(report.root.replace(/\\/g, '/').replace(/\/+$/, '')) || 'code'
  const failsOnImport = atImport.length > 0
  const allSites = [...atImport, ...atStartup].map(site)

  const input: ScenarioInput = {
    id: `scan-${
      folder
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'code'
    }`,
    title: `Import-time singletons in ${folder}, as scan found them`,
    source: { report: `session-inspector scan ${report.root}`, title: `scan of ${folder}` },
    summary:
      `${atImport.length} call${atImport.length === 1 ? '' : 's'} at import time and ${atStartup.length} at start-up ` +
      `fetch a per-user WebSocket manager without a context (${allSites.join(', ')}). Under the strict wrapper ` +
      'each import that runs one fails, with the real import chain; the fix defers every one of them to request time.',
    system: {
      moduleGraph: { modules: graphModules, entries: entryNames },
      wiring: {
        legacyWrapper: 'strict',
        ...(atStartup.length > 0
          ? {
              startupHooks: atStartup.map((finding) => ({
                phase: 'readiness' as const,
                effect: effectOf(finding)
              }))
            }
          : {})
      },
      users: { ids: ['alice'], runsEach: 1 }
    },
    failure: {
      expect: [
        {
          expect: 'startup',
          label: failsOnImport
            ? `start-up fails while ${short(firstEntry)} is imported`
            : 'start-up fails when the start-up code runs',
          state: 'failed',
          phase: failsOnImport ? 'initialization' : 'readiness'
        },
        {
          expect: 'events',
          label: 'the strict wrapper refuses a context-less manager at a site scan reported',
          match: { kind: 'manager_rejected', where: { caller: { oneOf: allSites } } }
        },
        ...(failsOnImport && testCount > 0
          ? [
              {
                expect: 'tests' as const,
                label: 'the tests of the modules that fail to import are blocked',
                blocked: { min: 1 }
              }
            ]
          : [])
      ]
    },
    fix: {
      summary: 'Every reported call is deferred to request time, when a UserExecutionContext exists',
      change: {
        effects: [...new Set(allSites)].map((where) => ({
          site: where,
          with: [
            {
              site: where,
              code: 'manager = None  # created per request from the user context',
              call: { op: 'defer' as const }
            }
          ]
        }))
      },
      expect: [
        { expect: 'startup', label: 'every module imports and start-up completes', state: 'ready' },
        ...(testCount > 0
          ? [
              {
                expect: 'tests' as const,
                label: 'every test is collected',
                blocked: 0,
                collected: 'all' as const
              }
            ]
          : [])
      ]
    },
    whys: whys(allSites, short(first.file), failsOnImport ? short(firstEntry) : null)
  }
  return scenarioSchema.parse(input)
}

function whys(
  sites: readonly string[],
  firstModule: string,
  firstEntry: string | null
): ScenarioInput['whys'] {
  const firstSite = sites[0] ?? firstModule
  return [
    {
      question: 'Why does start-up fail?',
      answer:
        `A line scan reported (${sites.join(', ')}) asks for a WebSocket manager while no request, and so no ` +
        'user context, exists.',
      evidence: {
        run: 'failure',
        match: { kind: 'manager_rejected', where: { caller: { oneOf: [...sites] } } }
      }
    },
    {
      question: 'Why does the wrapper refuse instead of returning a manager?',
      answer:
        'A manager belongs to one user. Without a UserExecutionContext the strict wrapper cannot tell whose manager ' +
        'to build, and it raises rather than hand out one shared by every user.',
      evidence: {
        run: 'failure',
        match: {
          kind: 'manager_rejected',
          where: { 'error.message': { contains: 'Import-time initialization is prohibited' } }
        }
      }
    },
    firstEntry
      ? {
          question: `Why does ${firstEntry}, which never mentions WebSockets, fail to import?`,
          answer: `Importing it imports, module by module, the file whose body runs ${firstSite}: the chain scan printed.`,
          evidence: { run: 'failure', match: { kind: 'module_failed', where: { module: firstEntry } } }
        }
      : {
          question: 'Why does this run at start-up?',
          answer: `A declared start-up entry point calls, directly or through other functions, the code at ${firstSite}.`,
          evidence: {
            run: 'failure',
            match: { kind: 'manager_rejected', where: { caller: { oneOf: [...sites] } } },
            occurrence: 'last'
          }
        },
    {
      question: 'Why was nothing wrong before the strict wrapper?',
      answer:
        'Before, the same call returned one global manager: nothing failed, and every user shared it. The strict ' +
        'wrapper turns that silent sharing into this failure.',
      evidence: { run: 'failure', match: { kind: 'manager_rejected' }, occurrence: 'last' }
    },
    {
      question: 'Why does deferring the call fix it?',
      answer: `With creation deferred to request time, ${firstModule} imports without asking for a manager.`,
      evidence: firstEntry
        ? { run: 'fixed', match: { kind: 'module_loaded', where: { module: firstModule } } }
        : { run: 'fixed', match: { kind: 'phase_transition', where: { to: 'ready' } } }
    }
  ]
}
