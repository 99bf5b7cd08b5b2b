import { z } from 'zod'

/** The start-up machine's definition reduced to what a graph view needs; derived from the XState machine itself. */
export const machineGraphSchema = z.strictObject({
  id: z.string(),
  initial: z.string(),
  states: z.array(
    z.strictObject({
      id: z.string(),
      label: z.string(),
      type: z.enum(['atomic', 'final'])
    })
  ),
  transitions: z.array(z.strictObject({ source: z.string(), target: z.string(), event: z.string() }))
})
export type MachineGraph = z.infer<typeof machineGraphSchema>
