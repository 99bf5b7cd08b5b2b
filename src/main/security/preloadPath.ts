import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Finds the built preload next to the main bundle. A sandboxed preload runs as a classic script, so an ES-module
 * build (index.mjs, what electron-vite emits for a "type": "module" package by default) cannot load there.
 */
export function resolvePreloadPath(
  preloadDir: string,
  exists: (path: string) => boolean = existsSync
): string {
  for (const name of ['index.js', 'index.cjs']) {
    const candidate = join(preloadDir, name)
    if (exists(candidate)) return candidate
  }
  const esm = join(preloadDir, 'index.mjs')
  if (exists(esm)) {
    throw new Error(
      `Expected a CommonJS preload in ${preloadDir} (index.js or index.cjs), found only ${esm}. A sandboxed ` +
        "preload cannot be an ES module: set preload.build.rollupOptions.output.format = 'cjs' in " +
        'electron.vite.config.ts and rebuild.'
    )
  }
  throw new Error(
    `Expected the built preload in ${preloadDir} (index.js or index.cjs), found none. Run \`electron-vite build\` first.`
  )
}
