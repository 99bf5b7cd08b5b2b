/** Flags every suite understands: `--quick` for the short version, `--json FILE` to hand results to bench/run.ts. */
export interface BenchArgs {
  quick: boolean
  jsonOut: string | null
}

export function benchArgs(argv: readonly string[] = process.argv.slice(2)): BenchArgs {
  const json = argv.indexOf('--json')
  return { quick: argv.includes('--quick'), jsonOut: json >= 0 ? (argv[json + 1] ?? null) : null }
}
