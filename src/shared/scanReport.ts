import { z } from 'zod'

/**
 * What `scan` reports (its JSON output, and what the app shows): import-time and start-up calls that fetch or
 * create a per-user resource without a context, each with the chains that load it.
 */

export const scanLanguageOptionSchema = z.enum(['python', 'typescript', 'auto'])
export const scanFormatSchema = z.enum(['text', 'json', 'sarif'])

export const chainStepSchema = z.strictObject({
  kind: z.enum(['entry', 'import', 'startup', 'call', 'finding']),
  /** Relative to the scanned folder. */
  file: z.string(),
  /** import: the line in the previous file that imports this one; call: the line of the call; finding: its line. */
  line: z.number().int().positive().nullable(),
  /** call: the function called; startup: the declared entry point (MODULE:FUNCTION). */
  name: z.string().optional()
})
export type ChainStep = z.infer<typeof chainStepSchema>

export const scanChainSchema = z.strictObject({
  /** The entry file, or the start-up entry point as declared. */
  entry: z.string(),
  steps: z.array(chainStepSchema).min(1)
})
export type ScanChain = z.infer<typeof scanChainSchema>

export const scanFindingSchema = z.strictObject({
  file: z.string(),
  line: z.number().int().positive(),
  column: z.number().int().positive(),
  /** The source line, trimmed. */
  code: z.string(),
  /** The function called, or for an instance the class. */
  call: z.string(),
  kind: z.enum(['call', 'instance']),
  /** import: runs when its module is imported; startup: runs only from a declared start-up entry point. */
  phase: z.enum(['import', 'startup']),
  language: z.enum(['python', 'typescript']),
  /** Shortest first: one per entry point that loads it, then one per start-up entry point that reaches it. */
  chains: z.array(scanChainSchema)
})
export type ScanFinding = z.infer<typeof scanFindingSchema>

export const skippedFileSchema = z.strictObject({
  file: z.string(),
  line: z.number().int().positive(),
  column: z.number().int().positive(),
  message: z.string()
})

export const scanReportSchema = z.strictObject({
  root: z.string(),
  language: scanLanguageOptionSchema,
  calls: z.array(z.string()),
  filesScanned: z.number().int().nonnegative(),
  entries: z.array(z.string()),
  startup: z.array(z.string()),
  findings: z.array(scanFindingSchema),
  skipped: z.array(skippedFileSchema),
  exitCode: z.number().int()
})
export type ScanReport = z.infer<typeof scanReportSchema>
