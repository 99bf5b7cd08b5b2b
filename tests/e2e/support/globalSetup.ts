import { execSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '../../..')
const BUILT = join(ROOT, 'out/renderer/index.html')
const SOURCES = ['src/renderer', 'src/shared', 'vite.web.config.ts']

/** Builds the web UI once when out/renderer is missing or older than its sources (`npm run test:e2e` builds first). */
export default function globalSetup(): void {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(chromium)) {
    throw new Error(
      `no Chromium at ${chromium}: the browser tests use Debian's (apt-get install chromium, as .ci/run does), ` +
        'or set CHROMIUM_PATH to another Chromium binary'
    )
  }
  const built = mtime(BUILT)
  const newest = Math.max(...SOURCES.map((path) => newestMtime(join(ROOT, path))))
  if (built !== null && built >= newest) return
  console.log('[e2e] out/renderer is missing or stale: npm run build:web')
  execSync('npm run build:web', { cwd: ROOT, stdio: 'inherit' })
}

function mtime(path: string): number | null {
  try {
    return statSync(path).mtimeMs
  } catch {
    return null
  }
}

function newestMtime(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)))
  return newest
}
