/** Resolves at the first SIGINT or SIGTERM; a second one ends the process at once (Node's default). */
export function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (received: NodeJS.Signals): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve(received)
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}
