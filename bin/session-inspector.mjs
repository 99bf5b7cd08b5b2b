#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `session-inspector` works from a checkout with no build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/main/cli.ts')
process.exitCode = await main(process.argv.slice(2))
