import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { findElectronBinary } from '../../scripts/electronBinary.mjs'

const roots: string[] = []
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'inspector-electron-'))
  roots.push(root)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

afterEach(() => {
  roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true }))
  vi.unstubAllEnvs()
})

describe('findElectronBinary', () => {
  it('reports a skipped download when path.txt is missing', () => {
    vi.stubEnv('ELECTRON_OVERRIDE_DIST_PATH', '')
    const result = findElectronBinary(project({ 'node_modules/electron/index.js': '' }))
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('ELECTRON_SKIP_BINARY_DOWNLOAD') })
  })

  it('reports a path.txt that names a binary which is not there', () => {
    vi.stubEnv('ELECTRON_OVERRIDE_DIST_PATH', '')
    const result = findElectronBinary(project({ 'node_modules/electron/path.txt': 'electron' }))
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('does not exist') })
  })

  it('finds the binary named by path.txt inside dist/', () => {
    vi.stubEnv('ELECTRON_OVERRIDE_DIST_PATH', '')
    const root = project({ 'node_modules/electron/path.txt': 'electron', 'node_modules/electron/dist/electron': '' })
    expect(findElectronBinary(root)).toEqual({ ok: true, path: join(root, 'node_modules/electron/dist/electron') })
  })

  it('finds the real state of this checkout without throwing', () => {
    expect(() => findElectronBinary()).not.toThrow()
  })
})
