import { describe, expect, it } from 'vitest'
import {
  parseElectronegativityCsv,
  parseElectronegativitySarif,
  sameChecks
} from '../../scripts/electronegativityReport'

// Verbatim from a run on this repo before the window's flags were written literally (one HIGH).
const WITH_HIGH = `issue, severity, confidence, filename, location, sample, description, url
CSP_GLOBAL_CHECK,"MEDIUM","CERTAIN","N/A","0:0",N/A,"No CSP has been detected in the target application",https://github.com/doyensec/electronegativity/wiki/CSP_GLOBAL_CHECK
OPEN_EXTERNAL_JS_CHECK,"MEDIUM","TENTATIVE","index.ts","15:36","if (isExternalWebUrl(url)) void shell.openExternal(url)","Review the use of openExternal",https://github.com/doyensec/electronegativity/wiki/OPEN_EXTERNAL_JS_CHECK
CONTEXT_ISOLATION_JS_CHECK,"HIGH","FIRM","index.ts","32:17","const window = new BrowserWindow(","Review the use of the contextIsolation option",https://github.com/doyensec/electronegativity/wiki/CONTEXT_ISOLATION_JS_CHECK
`

describe("reading Electronegativity's report", () => {
  it('finds the HIGH finding, with its place', () => {
    const findings = parseElectronegativityCsv(WITH_HIGH)
    expect(findings.map((finding) => [finding.check, finding.severity])).toEqual([
      ['CSP_GLOBAL_CHECK', 'MEDIUM'],
      ['OPEN_EXTERNAL_JS_CHECK', 'MEDIUM'],
      ['CONTEXT_ISOLATION_JS_CHECK', 'HIGH']
    ])
    expect(findings[2]).toMatchObject({ file: 'index.ts', location: '32:17' })
  })

  it('keeps commas, quotes and newlines inside quoted samples', () => {
    const csv = `${WITH_HIGH.split('\n')[0]}\nX_JS_CHECK,"LOW","FIRM","a.ts","1:1","f(a, ""b"",\nc)","d",u\n`
    expect(parseElectronegativityCsv(csv)[0]?.sample).toBe('f(a, "b",\nc)')
  })

  it('a header-only report has no findings', () => {
    expect(parseElectronegativityCsv(`${WITH_HIGH.split('\n')[0]}\n`)).toEqual([])
  })

  it('fails loudly on a changed or torn format instead of reading it as clean', () => {
    expect(() => parseElectronegativityCsv('id,level\nX,HIGH\n')).toThrow(/expected the header/)
    expect(() => parseElectronegativityCsv('')).toThrow(/expected the header/)
    const torn = WITH_HIGH.replace('"HIGH"', '"HIG')
    expect(() => parseElectronegativityCsv(torn)).toThrow()
  })

  it('cross-checks the CSV against the SARIF list of checks', () => {
    const sarif = JSON.stringify({
      runs: [
        {
          results: [
            { ruleId: 'CONTEXT_ISOLATION_JS_CHECK' },
            { ruleId: 'CSP_GLOBAL_CHECK' },
            { ruleId: 'OPEN_EXTERNAL_JS_CHECK' }
          ]
        }
      ]
    })
    const findings = parseElectronegativityCsv(WITH_HIGH)
    expect(sameChecks(findings, parseElectronegativitySarif(sarif))).toBeNull()
    expect(sameChecks(findings.slice(0, 2), parseElectronegativitySarif(sarif))).toMatch(/CONTEXT_ISOLATION/)
    expect(() => parseElectronegativitySarif('{"runs":[]}')).toThrow(/runs\[0\]\.results/)
  })
})
