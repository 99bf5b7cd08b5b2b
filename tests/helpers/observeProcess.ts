import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '../..')
const START_TIMEOUT_MS = 30_000

export interface ObserveRun {
  /** The first line observe printed: its listen URL, `ws://127.0.0.1:PORT`. */
  url: string
  /** SIGTERM, then what it printed and its exit code (SIGKILL after 10 s, which a test then sees as failing). */
  stop(): Promise<{ code: number | null; stdout: string; stderr: string }>
}

/** Starts `session-inspector observe …` as a user would (tsx on the source) and reads its listen URL. */
export async function startObserve(args: string[]): Promise<ObserveRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', 'observe', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = once(child, 'exit') as Promise<[number | null]>
  const firstLine = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no URL within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS
    )
    const check = (): void => {
      const end = stdout.indexOf('\n')
      if (end < 0) return
      clearTimeout(timer)
      child.stdout.off('data', check)
      resolve(stdout.slice(0, end).trim())
    }
    child.stdout.on('data', check)
    void exited.then(([code]) => {
      clearTimeout(timer)
      reject(new Error(`observe exited with ${code} before printing its URL:\n${stderr}`))
    })
  })
  const url = await firstLine
  return {
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      const [code] = await exited
      clearTimeout(timer)
      return { code, stdout, stderr }
    }
  }
}
