// `npm start`: the Electron app where an Electron binary exists, otherwise web mode in the default browser's reach.
import { spawn } from 'node:child_process'
import { findElectronBinary } from './electronBinary.mjs'

const onWindows = process.platform === 'win32'

/** Runs a command with inherited stdio and resolves with its exit code. */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', shell: onWindows })
    // Ctrl-C already reaches the child through the terminal's process group; SIGTERM is sent to us alone.
    const ignore = () => {}
    const forward = (signal) => child.kill(signal)
    process.on('SIGINT', ignore)
    process.on('SIGTERM', forward)
    child.on('error', (error) => {
      console.error(`Could not start \`${command} ${args.join(' ')}\`: ${error.message}`)
      resolve(1)
    })
    child.on('exit', (code, signal) => {
      process.off('SIGINT', ignore)
      process.off('SIGTERM', forward)
      resolve(code ?? (signal ? 1 : 0))
    })
  })
}

async function runAll(steps) {
  for (const [command, args] of steps) {
    const code = await run(command, args)
    if (code !== 0) return code
  }
  return 0
}

const electron = findElectronBinary()
const extraArgs = process.argv.slice(2)
const steps = electron.ok
  ? [
      ['npx', ['electron-vite', 'build']],
      ['npx', ['electron-vite', 'preview', ...extraArgs]]
    ]
  : [
      ['npm', ['run', 'build:web']],
      ['npx', ['tsx', 'src/main/cli.ts', 'serve', ...extraArgs]]
    ]

if (!electron.ok) {
  console.log(
    `Session Inspector: no Electron binary is installed (${electron.reason}). Starting web mode instead; ` +
      'for the desktop app, reinstall electron online without ELECTRON_SKIP_BINARY_DOWNLOAD.'
  )
}
process.exitCode = await runAll(steps)
