/**
 * A reader that stops early (`| head`, a script that reads only the URL line) closes stdout's pipe: the command
 * carries on and exits with its own code, its later lines going nowhere, instead of crashing with a stack trace.
 */
export function quietClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error
  })
}
