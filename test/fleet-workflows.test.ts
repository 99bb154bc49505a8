// docs/fleet.md's CI workflows (docs/examples/fleet-github.yml, fleet-gitlab.yml): they are in the doc verbatim,
// parse, use only flags the fleet command has, cover every shard, and their merge steps run (the built CLI behind
// `npx`) on sample shard states and write the job summary.
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { FLEET_REPORT_SCHEMA_ID, fleetReportSchema, fleetTotals, type FleetInstanceReport, type FleetReport } from '@kandji-sn/contract'
import { FLAG_SPECS, OUTPUT_FLAGS } from '../apps/deploy-integration/src/flags.ts'
import { flags as FLEET_FLAGS } from '../apps/deploy-integration/src/commands/fleet/index.ts'
import { parseShard, shardOf } from '../apps/deploy-integration/src/commands/fleet/shard.ts'
import { REPO_ROOT } from './support/instance.ts'

const GITHUB = join(REPO_ROOT, 'docs/examples/fleet-github.yml')
const GITLAB = join(REPO_ROOT, 'docs/examples/fleet-gitlab.yml')
const CLI = join(REPO_ROOT, 'apps/deploy-integration/bin/deploy-integration.mjs')

type Job = { steps?: Array<{ run?: string; name?: string }>; script?: string[]; strategy?: { matrix?: { shard?: number[] } }; parallel?: number; env?: Record<string, string> }

/** Every `deploy-integration …` command in a shell text, as argv after the program name (shell words, quotes removed). */
function commands(shell: string): string[][] {
  return shell
    .replace(/\\\n/g, ' ')
    .replace(/\$\{\{\s*(.+?)\s*\}\}/g, '$${{$1}}') // a GitHub expression as one word
    .split('\n')
    .flatMap((line) => {
      const at = line.indexOf('npx deploy-integration ')
      if (at < 0) return []
      const rest = line.slice(at + 'npx deploy-integration '.length).split(/\|\||&&|;|\|/)[0]!
      return [rest.trim().split(/\s+/).map((w) => w.replace(/^"|"$/g, ''))]
    })
}

function flagsOf(argv: readonly string[]): string[] {
  return argv.filter((w) => w.startsWith('--')).map((w) => w.slice(2).split('=')[0]!)
}

const allowed = new Set<string>([...FLEET_FLAGS, ...OUTPUT_FLAGS])

describe('the CI workflows of docs/fleet.md', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs/fleet.md'), 'utf8')

  it.each([GITHUB, GITLAB])('%s is in docs/fleet.md verbatim', (file) => {
    expect(doc).toContain(`\`\`\`yaml\n${readFileSync(file, 'utf8')}\`\`\``)
  })

  it('GitHub: a matrix over shards 1..3, every deploy-integration flag exists for fleet, per-instance secrets by adminEnvPrefix', () => {
    const wf = parse(readFileSync(GITHUB, 'utf8')) as { jobs: Record<string, Job> }
    expect(Object.keys(wf.jobs)).toEqual(['deploy', 'merge'])
    const deploy = wf.jobs.deploy!
    expect(deploy.strategy!.matrix!.shard).toEqual([1, 2, 3])
    const cmds = Object.values(wf.jobs).flatMap((j) => (j.steps ?? []).flatMap((s) => commands(s.run ?? '')))
    expect(cmds.map((c) => c.slice(0, 2).join(' '))).toEqual(['fleet deploy', 'fleet merge'])
    for (const c of cmds) for (const f of flagsOf(c)) expect(FLAG_SPECS, f).toHaveProperty(f)
    for (const c of cmds) expect(flagsOf(c).filter((f) => !allowed.has(f))).toEqual([])
    const shardArg = cmds[0]![cmds[0]!.indexOf('--shard') + 1]!
    expect(shardArg).toBe('${{matrix.shard}}/3')
    expect(deploy.strategy!.matrix!.shard!.map((n) => parseShard(shardArg.replace('${{matrix.shard}}', String(n))))).toEqual([1, 2, 3].map((index) => ({ index, total: 3 })))
    expect(deploy.env).toEqual({ ACME_USER: '${{ secrets.ACME_USER }}', ACME_PASSWORD: '${{ secrets.ACME_PASSWORD }}', GLOBEX_USER: '${{ secrets.GLOBEX_USER }}', GLOBEX_PASSWORD: '${{ secrets.GLOBEX_PASSWORD }}' })
  })

  it('GitLab: parallel 3 with CI_NODE_INDEX/CI_NODE_TOTAL, every deploy-integration flag exists for fleet', () => {
    const wf = parse(readFileSync(GITLAB, 'utf8')) as Record<string, Job>
    expect(wf['fleet-deploy']!.parallel).toBe(3)
    const cmds = ['fleet-deploy', 'fleet-report'].flatMap((j) => wf[j]!.script!.flatMap(commands))
    expect(cmds.map((c) => c.slice(0, 2).join(' '))).toEqual(['fleet deploy', 'fleet merge'])
    for (const c of cmds) expect(flagsOf(c).filter((f) => !allowed.has(f))).toEqual([])
    const shardArg = cmds[0]![cmds[0]!.indexOf('--shard') + 1]!
    expect([1, 2, 3].map((i) => parseShard(shardArg.replace('${CI_NODE_INDEX}', String(i)).replace('${CI_NODE_TOTAL}', '3')))).toEqual([1, 2, 3].map((index) => ({ index, total: 3 })))
  })

  describe('the merge steps on sample shard states', () => {
    const instances = Array.from({ length: 9 }, (_, i) => `https://tenant${i}.service-now.com`)
    const hash = 'c'.repeat(64)
    const entry = (instance: string, failed: boolean): FleetInstanceReport => ({
      instance,
      tenant: new URL(instance).hostname.split('.')[0]!,
      command: 'deploy',
      status: failed ? 'failed' : 'ok',
      exitCode: failed ? 4 : 0,
      changes: failed ? null : 3,
      checks: [],
      drift: [],
      timing: { start: '2026-01-01T00:00:00.000Z', end: '2026-01-01T00:00:02.000Z', ms: 2000 },
      error: failed ? { message: 'the instance failed to process a request (503)', cause: 'overloaded', fix: 'wait and re-run with --resume' } : null,
      log: null,
      handoff: null,
      carriedOver: false,
    })
    const state = (index: number, failing: string | undefined): FleetReport => {
      const list = instances.filter((u) => shardOf(u, 3) === index).map((u) => entry(u, u === failing))
      return { schema: FLEET_REPORT_SCHEMA_ID, command: 'deploy', fleetHash: hash, fleetSize: instances.length, appVersion: '1.3.0', shards: [{ index, total: 3 }], startedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:09.000Z', exitCode: list.some((e) => e.exitCode !== 0) ? 4 : 0, totals: fleetTotals(list), instances: list }
    }
    /** A folder where `npx deploy-integration …` runs the built CLI, as `npx` does in CI after `npm ci`. */
    function workspace(layout: (index: number) => string, failing?: string) {
      const dir = mkdtempSync(join(tmpdir(), 'kandji-fleet-wf-'))
      for (const index of [1, 2, 3]) {
        const d = join(dir, layout(index))
        mkdirSync(d, { recursive: true })
        writeFileSync(join(d, 'state.json'), JSON.stringify(fleetReportSchema.parse(state(index, failing))))
      }
      const bin = join(dir, 'bin')
      mkdirSync(bin)
      writeFileSync(join(bin, 'npx'), `#!/bin/sh\n[ "$1" = deploy-integration ] || exit 127\nshift\nexec "${process.execPath}" "${CLI}" "$@"\n`)
      chmodSync(join(bin, 'npx'), 0o755)
      return { dir, env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir, NO_COLOR: '1' } }
    }

    it.each([
      ['all ok', undefined, 0],
      ['one instance failed', instances[4], 4],
    ])('GitHub merge job (%s): the summary gets the merged report, the step exits with the fleet\'s worst code', (_, failing, code) => {
      const wf = parse(readFileSync(GITHUB, 'utf8')) as { jobs: Record<string, Job> }
      const step = wf.jobs.merge!.steps!.find((s) => s.name === 'fleet merge')!
      const { dir, env } = workspace((i) => `shards/fleet-shard-${i}`, failing)
      const summary = join(dir, 'summary.md')
      writeFileSync(summary, '# earlier steps\n')
      const r = spawnSync('bash', ['-e', '-c', step.run!], { cwd: dir, env: { ...env, GITHUB_STEP_SUMMARY: summary }, encoding: 'utf8' })
      expect(r.status, r.stderr).toBe(code)
      const merged = readFileSync(join(dir, 'merged', 'report.md'), 'utf8')
      expect(readFileSync(summary, 'utf8')).toBe(`# earlier steps\n${merged}`)
      expect(merged).toContain(`**9 instances**: ${failing ? 8 : 9} ok, 0 drifted, ${failing ? 1 : 0} failed, 0 interrupted, 0 not run`)
      const report = fleetReportSchema.parse(JSON.parse(readFileSync(join(dir, 'merged', 'report.json'), 'utf8')))
      expect(report.instances.map((e) => e.instance).sort()).toEqual([...instances].sort())
    })

    it('GitLab report job: merges the three shard folders', () => {
      const wf = parse(readFileSync(GITLAB, 'utf8')) as Record<string, Job>
      const { dir, env } = workspace((i) => `fleet-out/shard-${i}`)
      const merge = wf['fleet-report']!.script!.find((l) => l.includes('fleet merge'))!
      execFileSync('sh', ['-e', '-c', merge], { cwd: dir, env, encoding: 'utf8' })
      expect(wf['fleet-report']!.script).toHaveLength(2)
      const report = fleetReportSchema.parse(JSON.parse(readFileSync(join(dir, 'merged', 'report.json'), 'utf8')))
      expect(report.shards).toEqual([1, 2, 3].map((index) => ({ index, total: 3 })))
      expect(report.totals).toEqual({ instances: 9, ok: 9, drifted: 0, failed: 0, interrupted: 0, pending: 0 })
    })
  })
})
