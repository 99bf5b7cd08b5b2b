import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { chainText } from '../../src/main/scan/format/textReport'
import { shortNames } from '../../src/main/scan/format/shortNames'
import { scanFolder, type ScanOptions } from '../../src/main/scan/scanFolder'

const FIXTURES = join(process.cwd(), 'tests/fixtures/scan')

/** Each finding as `file:line` with its chains as text, the way the post-mortems write them. */
async function scanned(tree: string, options: Partial<ScanOptions> = {}) {
  const outcome = await scanFolder({
    root: join(FIXTURES, tree),
    language: 'python',
    entries: [],
    calls: [],
    startup: [],
    ...options
  })
  const short = shortNames([...outcome.modules.keys()])
  return {
    report: outcome.report,
    findings: outcome.report.findings.map((finding) => ({
      at: `${finding.file.split('/').pop()}:${finding.line}`,
      phase: finding.phase,
      chains: finding.chains.map((chain) => chainText(chain, short))
    }))
  }
}

describe('scan on trees modelled on the post-mortems', () => {
  it("report 000: one finding, agent_service_factory.py:14, reached by the test through the report's chain", async () => {
    const { findings, report } = await scanned('report000')
    expect(findings).toEqual([
      {
        at: 'agent_service_factory.py:14',
        phase: 'import',
        chains: [
          'test_agents_execute_decorator.py → agents_execute.py → agent_service.py → agent_service_factory.py:14'
        ]
      }
    ])
    expect(report.findings[0]?.code).toBe('manager = get_websocket_manager()')
    expect(
      report.findings[0]?.chains[0]?.steps.map((step) => [step.kind, step.file.split('/').pop(), step.line])
    ).toEqual([
      ['entry', 'test_agents_execute_decorator.py', null],
      ['import', 'agents_execute.py', 1],
      ['import', 'agent_service.py', 1],
      ['import', 'agent_service_factory.py', 1],
      ['finding', 'agent_service_factory.py', 14]
    ])
    expect(report.exitCode).toBe(1)
  })

  it('report 001: the four files that call get_unified_manager() at module level, each loaded by its test', async () => {
    const { findings } = await scanned('report001')
    expect(findings).toEqual([
      {
        at: 'test_websocket_thread_integration_fixtures.py:23',
        phase: 'import',
        chains: ['test_websocket_thread_integration_fixtures.py:23']
      },
      {
        at: 'thread_test_fixtures.py:26',
        phase: 'import',
        chains: ['test_websocket_thread_integration_fixtures.py → thread_test_fixtures.py:26']
      },
      { at: 'test_message_pipeline.py:36', phase: 'import', chains: ['test_message_pipeline.py:36'] },
      {
        at: 'test_thread_loading_websocket_regression.py:28',
        phase: 'import',
        chains: ['test_thread_loading_websocket_regression.py:28']
      }
    ])
  })

  it('report 002: unified_init.py 72, 77 and startup_module.py:899 from the lifespan hook, 87 on import', async () => {
    const { findings } = await scanned('report002', { startup: ['netra_backend.app.main:lifespan'] })
    expect(findings).toEqual([
      {
        at: 'startup_module.py:899',
        phase: 'startup',
        chains: [
          'netra_backend.app.main:lifespan() → main.py:10 run_complete_startup() → ' +
            'startup_module.py:8 _validate_websocket_components() → startup_module.py:899'
        ]
      },
      {
        at: 'unified_init.py:72',
        phase: 'startup',
        chains: [
          'netra_backend.app.main:lifespan() → main.py:10 run_complete_startup() → ' +
            'startup_module.py:7 _initialize_legacy_emitters() → startup_module.py:12 create_websocket_emitter() → ' +
            'unified_init.py:72'
        ]
      },
      {
        at: 'unified_init.py:77',
        phase: 'startup',
        chains: [
          'netra_backend.app.main:lifespan() → main.py:10 run_complete_startup() → ' +
            'startup_module.py:7 _initialize_legacy_emitters() → startup_module.py:13 create_legacy_emitter() → ' +
            'unified_init.py:77'
        ]
      },
      {
        at: 'unified_init.py:87',
        phase: 'import',
        chains: ['test_startup_module.py → startup_module.py → unified_init.py:87']
      }
    ])
  })

  it('report 002 without --startup: only what runs on import', async () => {
    const { findings } = await scanned('report002')
    expect(findings.map((finding) => finding.at)).toEqual(['unified_init.py:87'])
  })

  it('--entry replaces the test-file defaults', async () => {
    const { findings } = await scanned('report002', { entries: ['netra_backend/app/main.py'] })
    expect(findings[0]?.chains).toEqual(['main.py → startup_module.py → unified_init.py:87'])
  })
})
