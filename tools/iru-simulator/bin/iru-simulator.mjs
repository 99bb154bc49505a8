#!/usr/bin/env node
// Runs the TypeScript source directly (workspace packages have no build step).
import { register } from 'tsx/esm/api'

register()
const { runFromProcess } = await import('../src/cli.ts')
await runFromProcess()
