// `npm run mutate [-- <group>... --force --summary]`: runs Stryker once per group (all groups when none is named), one after
// the other, and prints each group's score. Reports: reports/mutation/<group>/mutation.{html,json}.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { GROUPS, GROUP_NAMES } from './groups.mjs'

// `--summary`: print the scores of the last reports without running Stryker.
const summaryOnly = process.argv.includes('--summary')
// `--force`: test every mutant, not only those incremental mode thinks changed. Incremental mode reuses the result of a
// static mutant (one in a module-level constant, run by every test) even after tests were added, so a final score needs it.
const force = process.argv.includes('--force')
const asked = process.argv.slice(2).filter((a) => a !== '--summary' && a !== '--force')
const unknown = asked.filter((g) => !(g in GROUPS))
if (unknown.length > 0) {
  console.error(`Unknown mutation group(s): ${unknown.join(', ')}. Groups: ${GROUP_NAMES.join(', ')} (stryker/groups.mjs).`)
  process.exit(2)
}
const groups = asked.length > 0 ? asked : GROUP_NAMES

const score = (c) => {
  const detected = (c.Killed ?? 0) + (c.Timeout ?? 0)
  const undetected = (c.Survived ?? 0) + (c.NoCoverage ?? 0)
  return detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected)
}
const countsText = (c) => ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'CompileError', 'RuntimeError', 'Ignored'].filter((k) => c[k]).map((k) => `${k} ${c[k]}`).join(', ')

/** Stryker's mutation score: (killed + timeout) / (killed + timeout + survived + no coverage), per group and per file. */
function summarise(name) {
  const report = JSON.parse(readFileSync(`reports/mutation/${name}/mutation.json`, 'utf8'))
  const counts = {}
  const files = []
  for (const [path, file] of Object.entries(report.files)) {
    const own = {}
    for (const m of file.mutants) {
      counts[m.status] = (counts[m.status] ?? 0) + 1
      own[m.status] = (own[m.status] ?? 0) + 1
    }
    files.push(`    ${path}: ${score(own).toFixed(2)} % (${countsText(own)})`)
  }
  return { counts, score: score(counts), files }
}

let failed = false
const lines = []
for (const name of groups) {
  const started = Date.now()
  const run = summaryOnly ? { status: 0 } : spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs', ...(force ? ['--force'] : [])], { stdio: 'inherit', env: { ...process.env, MUTATE_GROUP: name } })
  const minutes = ((Date.now() - started) / 60_000).toFixed(1)
  if (run.status !== 0) {
    failed = true
    lines.push(`${name}: Stryker exited with ${run.status ?? run.signal} after ${minutes} min`)
    continue
  }
  const summary = summarise(name)
  lines.push(`${name}: ${summary.score.toFixed(2)} % killed (${countsText(summary.counts)}) ${summaryOnly ? '' : ` in ${minutes} min`}`, ...summary.files)
}
console.log(`\nMutation score per group:\n${lines.map((l) => `  ${l}`).join('\n')}`)
process.exit(failed ? 1 : 0)
