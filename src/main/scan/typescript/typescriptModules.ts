import type { ModuleRecord, SkippedFile } from '../model'
import type { SourceFile } from '../sourceFiles'

export function typescriptModules(_sources: readonly SourceFile[]): {
  modules: ModuleRecord[]
  skipped: SkippedFile[]
} {
  return { modules: [], skipped: [] }
}
