/** A target file that cannot be used as written: every problem names its field, what was expected and what to do. */
export class TargetFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[]
  ) {
    super(`${file}: ${problems.length === 1 ? problems[0] : `\n  ${problems.join('\n  ')}`}`)
  }
}
