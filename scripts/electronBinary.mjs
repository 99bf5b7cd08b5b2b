import { existsSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

/**
 * Where the Electron binary is, or why there is none, decided the way node_modules/electron/index.js decides it
 * but without throwing: path.txt names the executable inside dist/ (or ELECTRON_OVERRIDE_DIST_PATH).
 * @param {string} [root] the project root; default the current directory
 * @returns {{ ok: true, path: string } | { ok: false, reason: string }}
 */
export function findElectronBinary(root = process.cwd()) {
  const packageDir = resolve(root, 'node_modules', 'electron')
  const pathFile = join(packageDir, 'path.txt')
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (!existsSync(pathFile) && !override) {
    return {
      ok: false,
      reason: `${relative(root, pathFile)} is missing: electron was installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or offline`
    }
  }
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron'
  const binary = override ? join(override, executable) : join(packageDir, 'dist', executable)
  if (!existsSync(binary)) {
    return { ok: false, reason: `${relative(root, binary)} does not exist` }
  }
  return { ok: true, path: binary }
}
