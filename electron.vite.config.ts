import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  main: {
    // The user worker is its own entry so WorkerUserPool finds out/main/userWorker.js next to the main bundle.
    build: {
      rollupOptions: {
        input: { index: resolve('src/main/index.ts'), userWorker: resolve('src/main/runtime/users/userWorker.ts') }
      }
    }
  },
  preload: {
    // A sandboxed preload cannot be an ES module, and this package is "type": "module": emit CommonJS.
    build: { rollupOptions: { input: { index: resolve('src/preload/index.ts') }, output: { format: 'cjs' } } }
  },
  renderer: {
    root: resolve('src/renderer'),
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
    plugins: [react()]
  }
})
