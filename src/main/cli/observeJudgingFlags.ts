import { z } from 'zod'
import { userRulesSchema } from '../observe/userRules'
import { dottedPathProblem } from '../target/framePath'

/** The flags both observe modes share (live relay and --har): who is who, how frames are judged, the output. */
export const observeJudgingFlags = {
  'user-from': z.array(z.string()).default([]).pipe(userRulesSchema),
  'owner-id': z
    .array(
      z
        .string()
        .min(1, 'a JSON pointer such as /user_id')
        .refine((path) => dottedPathProblem(path) === null, {
          error: (issue) => dottedPathProblem(String(issue.input)) ?? ''
        })
    )
    .default([]),
  'no-canaries': z.boolean().default(false),
  record: z.string().min(1).optional(),
  json: z.boolean().default(false),
  positionals: z.array(z.string()).max(0, 'observe takes no positional arguments')
}

/** How parseArgs reads observeJudgingFlags' flags (positionals come on their own). */
export const observeJudgingOptions = {
  'user-from': { type: 'string', multiple: true },
  'owner-id': { type: 'string', multiple: true },
  'no-canaries': { type: 'boolean' },
  record: { type: 'string' },
  json: { type: 'boolean' }
} as const
