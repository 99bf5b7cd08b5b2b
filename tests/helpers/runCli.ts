import { execFile } from 'node:child_process'

export interface CliOutcome {
  code: number
  stdout: string
  stderr: string
}

/** Runs the CLI as `npm run cli --` does (tsx on the source) in a child process, and resolves with what it did. */
export function runCli(
  args: string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}
): Promise<CliOutcome> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'src/main/cli.ts', ...args],
      { cwd: process.cwd(), timeout: options.timeoutMs ?? 60_000, env: options.env ?? process.env },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0
        resolve({ code, stdout, stderr })
      }
    )
  })
}
