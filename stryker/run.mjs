// `npm run mutate [-- <group>...]`: runs Stryker once per group (all groups when none is named), one after
// the other, and prints each group's score. Reports: reports/mutation/<group>/mutation.{html,json}.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { GROUPS, GROUP_NAMES } from './groups.mjs'

const asked = process.argv.slice(2)
const unknown = asked.filter((g) => !(g in GROUPS))
if (unknown.length > 0) {
  console.error(`Unknown mutation group(s): ${unknown.join(', ')}. Groups: ${GROUP_NAMES.join(', ')} (stryker/groups.mjs).`)
  process.exit(2)
}
const groups = asked.length > 0 ? asked : GROUP_NAMES

/** Killed / (all valid mutants): Stryker's mutation score, counting timeouts as killed and no-coverage as survived. */
function summarise(name) {
  const report = JSON.parse(readFileSync(`reports/mutation/${name}/mutation.json`, 'utf8'))
  const counts = {}
  for (const file of Object.values(report.files)) for (const m of file.mutants) counts[m.status] = (counts[m.status] ?? 0) + 1
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0)
  const undetected = (counts.Survived ?? 0) + (counts.NoCoverage ?? 0)
  const score = detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected)
  return { counts, score }
}

let failed = false
const lines = []
for (const name of groups) {
  const started = Date.now()
  const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs'], { stdio: 'inherit', env: { ...process.env, MUTATE_GROUP: name } })
  const minutes = ((Date.now() - started) / 60_000).toFixed(1)
  if (run.status !== 0) {
    failed = true
    lines.push(`${name}: Stryker exited with ${run.status ?? run.signal} after ${minutes} min`)
    continue
  }
  const { counts, score } = summarise(name)
  lines.push(`${name}: ${score.toFixed(2)} % killed (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}) in ${minutes} min`)
}
console.log(`\nMutation score per group:\n${lines.map((l) => `  ${l}`).join('\n')}`)
process.exit(failed ? 1 : 0)
