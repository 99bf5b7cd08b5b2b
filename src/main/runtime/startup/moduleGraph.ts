import { z } from 'zod'
import { codeEffectSchema } from './codeEffects'

export const moduleSpecSchema = z.strictObject({
  /** The module's file name as the seeds print it, e.g. "agent_service_factory.py". */
  name: z.string().min(1),
  path: z.string().optional(),
  imports: z.array(z.string()).default([]),
  /** Lines that run when the module is imported. */
  effects: z.array(codeEffectSchema).default([]),
  /** Test functions a test module holds: blocked when the module cannot be imported. */
  tests: z.array(z.string()).default([])
})
export type ModuleSpec = z.infer<typeof moduleSpecSchema>

export const moduleGraphSchema = z
  .strictObject({
    modules: z.array(moduleSpecSchema).min(1),
    /** Imported in this order at INITIALIZATION, as a process or a test collector would. */
    entries: z.array(z.string()).min(1)
  })
  .superRefine((graph, ctx) => {
    const names = new Set(graph.modules.map((module) => module.name))
    graph.modules.forEach((module, index) =>
      module.imports.forEach((name, importIndex) => {
        if (!names.has(name)) {
          ctx.addIssue({
            code: 'custom',
            path: ['modules', index, 'imports', importIndex],
            message: `module '${module.name}' imports '${name}', which is not in the graph`
          })
        }
      })
    )
    graph.entries.forEach((name, index) => {
      if (!names.has(name))
        ctx.addIssue({
          code: 'custom',
          path: ['entries', index],
          message: `entry '${name}' is not in the graph`
        })
    })
  })
export type ModuleGraph = z.infer<typeof moduleGraphSchema>
