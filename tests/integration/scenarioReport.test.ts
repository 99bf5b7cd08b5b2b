import { beforeAll, describe, expect, it } from 'vitest'
import type { ScenarioRunResult } from '../../src/shared/scenario'
import { builtinScenarios } from '../../src/main/scenarios/builtinScenarios'
import { markdownReport } from '../../src/main/scenarios/report/markdownReport'
import { mermaidText, sequenceDiagram } from '../../src/main/scenarios/report/mermaid'
import { runScenario } from '../../src/main/scenarios/runScenario'

type Mermaid = { parse: (text: string) => Promise<unknown> }
let mermaid: Mermaid
const reports = new Map<string, { result: ScenarioRunResult; markdown: string }>()

beforeAll(async () => {
  // mermaid's flowchart parser sanitizes labels with DOMPurify, which needs a DOM; jsdom gives it one.
  const jsdom = 'jsdom' // no type declarations: only its window is needed
  const { JSDOM } = (await import(jsdom)) as {
    JSDOM: new (html: string) => { window: { document: unknown } }
  }
  const dom = new JSDOM('<!doctype html><html><body></body></html>')
  Object.assign(globalThis, { window: dom.window, document: dom.window.document })
  mermaid = (await import('mermaid')).default as unknown as Mermaid
  for (const scenario of builtinScenarios()) {
    const result = await runScenario(scenario, { builtin: true })
    reports.set(scenario.id, { result, markdown: markdownReport(result) })
  }
}, 120_000)

const blocks = (markdown: string): string[] =>
  [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((match) => match[1] as string)

describe.each(builtinScenarios().map((scenario) => scenario.id))('the report of %s', (id) => {
  it("has mermaid blocks that mermaid's own parser accepts", async () => {
    const { markdown } = reports.get(id)!
    const diagrams = blocks(markdown)
    expect(diagrams.length).toBeGreaterThanOrEqual(2)
    for (const diagram of diagrams) await expect(mermaid.parse(diagram), diagram).resolves.toBeTruthy()
  })

  it("keeps the seeds' structure, with no '..' and no row that is zero in every run", () => {
    const { markdown } = reports.get(id)!
    const headings = markdown.split('\n').filter((line) => line.startsWith('## '))
    expect(headings).toEqual([
      '## Verdict',
      '## Current failure against ideal state',
      '## Files and call sites',
      '## Five whys',
      '## What broke',
      '## Expectations'
    ])
    expect(markdown).not.toContain('..')
    const table = markdown.split('## What broke')[1]!.split('\n\n')[1]!
    for (const row of table.split('\n').slice(2)) {
      const values = row.split(' | ').slice(1)
      expect(
        values.some((value) => /[1-9]|[a-z]{3}/.test(value.replace(/of|runs|events|refused/g, ''))),
        row
      ).toBe(true)
    }
  })
})

describe('report diagrams', () => {
  it('escapes text with entity codes instead of rewriting it', () => {
    expect(mermaidText('factory.create_manager(<Models>); see #1 "x"')).toBe(
      'factory.create_manager#40;#60;Models#62;#41;#59; see #35;1 #34;x#34;'
    )
  })

  it('keeps the contract finding with its actionable text', () => {
    const { markdown } = reports.get('missing-bridge')!
    expect(markdown).toContain('Pass app.state.agent_websocket_bridge to configure_execution_engine_factory.')
  })

  it('draws one participant per handler, however many of its call sites fail', () => {
    const failure = reports.get('keyword-mismatch')!.result.runs[0]!
    const participants = sequenceDiagram(failure)
      .split('\n')
      .filter((line) => line.includes('participant'))
    expect(participants.filter((line) => line.endsWith(' as agent_handler.py'))).toHaveLength(1)
    expect(participants.some((line) => line.includes('call site'))).toBe(false)
  })

  it("draws each user's deliveries in the order its socket received them", () => {
    const failure = reports.get('cross-user-leak')!.result.runs[0]!
    const diagram = sequenceDiagram(failure, 1_000)
    const bob = diagram.match(/participant (P\d+) as bob$/m)![1]!
    const toBob = diagram
      .split('\n')
      .filter((line) => new RegExp(`--[>x]+${bob}: (agent|tool)_`).test(line))
      .map((line) => line.split(': ')[1]!.split(' ')[0])
    expect(toBob.slice(0, 5)).toEqual([
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_completed'
    ])
    expect(toBob).toHaveLength(15)
  })

  it('summarises past 60 messages per user instead of dropping anyone, in the order deliveries arrived', () => {
    const fixed = reports.get('missing-bridge')!.result.runs.find((run) => run.run === 'fixed')!
    const diagram = sequenceDiagram(fixed)
    expect(diagram).toMatch(/Note over P\d+: \d+ more messages, summarised/)
    const users = fixed.users.connected
    expect(users).toHaveLength(12)
    for (const user of users) expect(diagram).toContain(` as ${user}`)
    const lastUser = users.at(-1)!
    const lastId = diagram.match(new RegExp(`participant (P\\d+) as ${lastUser}$`, 'm'))![1]
    expect(diagram).toMatch(new RegExp(`Note over ${lastId}: then .*received 5 of own events`))
  })
})
