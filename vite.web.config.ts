import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The renderer as a plain web page for web mode (`session-inspector serve`): same sources as Electron's renderer,
// relative asset paths so the host can serve it from any prefix.
export default defineConfig({
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    // elkjs is large by nature; the warning would only be noise.
    chunkSizeWarningLimit: 3000
  }
})
