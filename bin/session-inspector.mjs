#!/usr/bin/env -S node --no-allocation-site-pretenuring
// The CLI is TypeScript run through tsx, so `session-inspector` works from a checkout with no build step.
// V8 flags are the process's, set where it starts (README, Benchmarks): the users' worker thread inherits them.
// tsx is registered in this process rather than run as a CLI that spawns node: there is no child to orphan, and a
// signal sent to this pid (serve --json prints it) reaches serve itself.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/main/cli.ts')
const { quietClosedStdout } = await import('../src/main/cli/quietClosedStdout.ts')
quietClosedStdout()
process.exitCode = await main(process.argv.slice(2))
