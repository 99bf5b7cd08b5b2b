import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { CliUsageError } from './cliError'

/**
 * Checks, before any work starts, that a file named by an output flag (--report, --record) can be written: its
 * directory exists and is writable, and the path is not a directory. A bad path is a usage error (exit 2) with
 * a message, rather than a stack trace once the results are already lost.
 */
export async function checkOutputPath(flag: string, path: string): Promise<void> {
  const where = `--${flag} ${path}`
  const existing = await stat(path).catch(() => null)
  if (existing?.isDirectory()) throw new CliUsageError(`${where}: is a directory; name a file to write`)
  if (existing) {
    if (!(await writable(path))) throw new CliUsageError(`${where}: the file is not writable`)
    return
  }
  const directory = dirname(resolve(path))
  const parent = await stat(directory).catch(() => null)
  if (!parent) throw new CliUsageError(`${where}: directory ${directory} does not exist`)
  if (!parent.isDirectory()) throw new CliUsageError(`${where}: ${directory} is not a directory`)
  if (!(await writable(directory)))
    throw new CliUsageError(`${where}: directory ${directory} is not writable`)
}

async function writable(path: string): Promise<boolean> {
  return access(path, constants.W_OK).then(
    () => true,
    () => false
  )
}
