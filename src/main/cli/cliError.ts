/** A problem with what the user typed: printed as is, exit code 2, no stack trace. */
export class CliUsageError extends Error {
  readonly exitCode = 2
}
