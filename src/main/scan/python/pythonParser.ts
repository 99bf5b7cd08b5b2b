import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Language, Parser } from 'web-tree-sitter'

/** The .wasm of tree-sitter's Python grammar, found through the installed package. */
function grammarPath(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm')
}

/** A tree-sitter parser for Python, made per scan (the caller deletes it when done). */
export async function createPythonParser(): Promise<Parser> {
  await Parser.init()
  const parser = new Parser()
  parser.setLanguage(await Language.load(grammarPath()))
  return parser
}
