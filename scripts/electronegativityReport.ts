/** Reading Electronegativity's CSV report. It exits 0 whatever it finds, so the verdict comes from the report. */

export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'] as const
export type Severity = (typeof SEVERITIES)[number]

export interface Finding {
  check: string
  severity: Severity
  confidence: string
  file: string
  location: string
  sample: string
  description: string
}

const HEADER = ['issue', 'severity', 'confidence', 'filename', 'location', 'sample', 'description', 'url']

/** RFC 4180 fields: quoted fields may hold commas, doubled quotes and newlines. */
function parseCsvRows(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let index = 0; index < text.length; index++) {
    const char = text[index]
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"'
        index++
      } else if (char === '"') quoted = false
      else field += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      row.push(field)
      field = ''
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++
      row.push(field)
      if (row.some((cell) => cell.trim() !== '')) rows.push(row)
      row = []
      field = ''
    } else field += char
  }
  row.push(field)
  if (row.some((cell) => cell.trim() !== '')) rows.push(row)
  return rows
}

/** Parses the report, or throws saying what was expected and what was found (a format change must fail loudly). */
export function parseElectronegativityCsv(text: string): Finding[] {
  const [header, ...rows] = parseCsvRows(text)
  const found = (header ?? []).map((cell) => cell.trim())
  if (found.join(',') !== HEADER.join(',')) {
    throw new Error(
      `Electronegativity CSV: expected the header "${HEADER.join(', ')}", found "${found.join(', ')}". ` +
        'Its report format changed: update scripts/electronegativityReport.ts.'
    )
  }
  return rows.map((cells, index) => {
    const [
      check = '',
      severity = '',
      confidence = '',
      file = '',
      location = '',
      sample = '',
      description = ''
    ] = cells.map((cell) => cell.trim())
    if (!SEVERITIES.includes(severity as Severity)) {
      throw new Error(
        `Electronegativity CSV row ${index + 2}: expected a severity of ${SEVERITIES.join('/')}, found "${severity}".`
      )
    }
    return { check, severity: severity as Severity, confidence, file, location, sample, description }
  })
}

/** The check id of each SARIF result (the SARIF report has no severities, only which checks fired). */
export function parseElectronegativitySarif(text: string): string[] {
  const report = JSON.parse(text) as { runs?: Array<{ results?: Array<{ ruleId?: unknown }> }> }
  const results = report.runs?.[0]?.results
  if (!Array.isArray(results))
    throw new Error('Electronegativity SARIF: expected runs[0].results to be an array; its format changed.')
  return results.map((result) => String(result.ruleId))
}

/** Null when both reports list the same checks the same number of times, else what differs. */
export function sameChecks(findings: readonly Finding[], sarifChecks: readonly string[]): string | null {
  const csv = findings.map((finding) => finding.check).sort()
  const sarif = [...sarifChecks].sort()
  return csv.join(',') === sarif.join(',') ? null : `CSV [${csv.join(', ')}] vs SARIF [${sarif.join(', ')}]`
}
