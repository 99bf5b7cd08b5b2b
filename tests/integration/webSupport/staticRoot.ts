import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A throwaway built-renderer directory, with a secret file beside it that traversal must never reach. */
export function createStaticRoot(): { root: string; secret: string; remove(): void } {
  const base = mkdtempSync(join(tmpdir(), 'inspector-web-'))
  const root = join(base, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Session Inspector</title>')
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app")')
  const secret = 'TOP-SECRET-OUTSIDE-ROOT'
  writeFileSync(join(base, 'secret.txt'), secret)
  return { root, secret, remove: () => rmSync(base, { recursive: true, force: true }) }
}
