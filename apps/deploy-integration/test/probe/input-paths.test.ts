// The probe's inputs: --out (missing, a directory, a folder that is not there, one that cannot be written), the
// instance URL, the developer-instance guard and its flag; its outputs: --json, and no secret or host anywhere.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { EXIT_CODES, PROBE } from '@kandji-sn/contract'
import type { Emulator } from '@kandji-sn/instance-emulator'
import { FLAG_SPECS } from '../../src/flags.ts'
import { isPdiHost } from '../../src/commands/probe/guard.ts'
import { patchOf } from '../../src/commands/probe/instance-info.ts'
import { TABLE_API_PROBES } from '../../src/commands/probe/registry.ts'
import { runCli } from '../support/run-cli.ts'
import { changedTables, envFor, pdi, probeDeps, probeObjects, readProfile, rowIds, runProbe } from './support.ts'

const open: Emulator[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()))
})
async function emulator(...args: Parameters<typeof pdi>) {
  const e = await pdi(...args)
  open.push(e)
  return e
}
const dir = () => mkdtempSync(join(tmpdir(), 'probe-'))

async function probe(e: Emulator, argv: string[]) {
  const { deps } = await probeDeps()
  return runCli(['probe', ...argv], { env: envFor(e), deps })
}

describe('probe --out', () => {
  it('is required: usage error before any request', async () => {
    const e = await emulator()
    const before = e.counters.requests
    const r = await probe(e, [])
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toContain('error: --out FILE is required')
    expect(r.stderr).toContain('pass --out FILE')
    expect(e.counters.requests).toBe(before)
  })

  it('a directory is refused before any request', async () => {
    const e = await emulator()
    const d = dir()
    const before = e.counters.requests
    const r = await probe(e, ['--out', d])
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toContain(`error: --out ${d} is a directory`)
    expect(e.counters.requests).toBe(before)
  })

  it('a folder that does not exist, or is a file, is refused before any request', async () => {
    const e = await emulator()
    const d = dir()
    writeFileSync(join(d, 'plain-file'), 'x')
    const before = e.counters.requests
    const missing = await probe(e, ['--out', join(d, 'nope', 'p.json')])
    expect(missing.code).toBe(EXIT_CODES.usage)
    expect(missing.stderr).toContain(`error: the folder of --out ${join(d, 'nope', 'p.json')} does not exist`)
    const underFile = await probe(e, ['--out', join(d, 'plain-file', 'p.json')])
    expect(underFile.code).toBe(EXIT_CODES.usage)
    expect(underFile.stderr).toContain(`${join(d, 'plain-file')} is a file`)
    expect(e.counters.requests).toBe(before)
  })

  it('a folder nobody may write to is refused before any request (a real write, so root is refused too)', async () => {
    const e = await emulator()
    const before = e.counters.requests
    const r = await probe(e, ['--out', '/proc/kandji-probe.json'])
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toMatch(/^error: --out \/proc\/kandji-probe\.json cannot be written \(E[A-Z]+\)$/m)
    expect(e.counters.requests).toBe(before)
  })

  it('an existing profile is replaced whole (temporary file + rename), and no temporary file stays', async () => {
    const e = await emulator()
    const d = dir()
    writeFileSync(join(d, 'profile.json'), 'old')
    const r = await runProbe(e, d)
    expect(r.code).toBe(0)
    expect(readProfile(r.out).format).toBe('kandji-sn-emulator-profile/1')
    expect(readdirSync(d)).toEqual(['profile.json'])
  })
})

describe('probe: the instance URL', () => {
  it('a malformed URL is a usage error', async () => {
    const { deps } = await probeDeps()
    const r = await runCli(['probe', '--out', join(dir(), 'p.json'), '--instance', 'http://exa mple'], { env: { SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin' }, deps })
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr.split('\n')[0]).toBe('error: invalid configuration: instance (from --instance): "http://exa mple" is not a URL: give a tenant such as "acme" or https://acme.service-now.com')
  })
})

describe('probe: the developer-instance guard', () => {
  it('refuses an instance without a PDI name, before any write', async () => {
    const e = await emulator({ instanceName: undefined })
    const before = rowIds(e)
    const writes = { ...e.counters.db }
    const r = await probe(e, ['--out', join(dir(), 'p.json')])
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toContain(`error: ${e.url} does not look like a personal developer instance: its host is not dev<digits>.service-now.com and its instance_name property is not there`)
    expect(r.stderr).toContain(`pass ${PROBE.confirmFlag} if this instance is yours to experiment on`)
    expect(changedTables(before, rowIds(e))).toEqual([])
    expect({ insert: e.counters.db.insert, delete: e.counters.db.delete }).toEqual({ insert: writes.insert, delete: writes.delete })
  })

  it('refuses an instance whose instance_name is not dev<digits>', async () => {
    const e = await emulator({ instanceName: 'acme-prod' })
    const r = await probe(e, ['--out', join(dir(), 'p.json')])
    expect(r.code).toBe(EXIT_CODES.usage)
    expect(r.stderr).toContain('its instance_name property is "acme-prod"')
  })

  it(`runs on such an instance with ${PROBE.confirmFlag}, and says so`, async () => {
    const e = await emulator({ instanceName: 'acme-prod' })
    const r = await runProbe(e, dir(), [PROBE.confirmFlag])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`not a personal developer instance (its host is not dev<digits>.service-now.com and its instance_name property is "acme-prod"); writing because of ${PROBE.confirmFlag}`)
    expect(probeObjects(e)).toEqual([])
  })

  it('the flag is the contract\'s', () => {
    expect(Object.keys(FLAG_SPECS)).toContain(PROBE.confirmFlag.slice(2))
  })

  it('a PDI host is dev<digits>.service-now.com exactly', () => {
    const cases = ['https://dev12345.service-now.com', 'https://DEV9.service-now.com', 'https://dev12345.service-now.com.evil.example', 'https://acme.service-now.com', 'https://devx.service-now.com', 'https://dev12345x.service-now.com', 'http://127.0.0.1:4000']
    expect(cases.map(isPdiHost)).toEqual([true, true, false, false, false, false, false])
  })
})

describe('probe: output', () => {
  it('--json prints the summary; the profile has no secret and no host', async () => {
    const password = 'Probe-Admin-S3cret!'
    const e = await emulator({ adminPassword: password })
    const d = dir()
    const { deps } = await probeDeps()
    const out = join(d, 'profile.json')
    const r = await runCli(['probe', '--out', out, '--json'], { env: { ...envFor(e), SN_ADMIN_PASSWORD: password }, deps })
    expect(r.code).toBe(0)
    const summary = JSON.parse(r.stdout) as { command: string; status: string; out: string; switches: Record<string, unknown>; failedExperiments: string[]; removed: { table: string; name: string }[] }
    const profile = readProfile(out)
    expect(summary.command).toBe('probe')
    expect(summary.status).toBe('ok')
    expect(summary.out).toBe(out)
    expect(summary.failedExperiments).toEqual([])
    expect(summary.switches).toEqual(Object.fromEntries(Object.entries(profile.switches).map(([k, o]) => [k, o.outcome === 'observed' ? { outcome: 'observed', value: o.value } : { outcome: o.outcome, reason: o.reason }])))
    expect(summary.removed.map((o) => `${o.table} ${o.name}`).sort()).toEqual([
      'oauth_entity kandji_probe_oauth_client',
      'oauth_entity kandji_probe_scope_client',
      'sys_properties kandji_probe_unique_name',
      'sys_properties kandji_probe_unique_name',
      'sys_user kandji_probe_ui_user',
      'sys_user kandji_probe_ws_user',
      'sys_user_has_role kandji_probe_ui_user',
      'sys_user_has_role kandji_probe_ws_user',
    ])
    const text = readFileSync(out, 'utf8')
    const host = new URL(e.url).host
    for (const secret of [password, host, '127.0.0.1']) {
      expect(text).not.toContain(secret)
      expect(r.all.includes(password)).toBe(false)
    }
    expect(Object.keys(profile.switches).sort()).toEqual(TABLE_API_PROBES.flatMap((p) => p.switches).sort())
  })

  it('an experiment that fails leaves its switches could-not-tell with the reason, writes the profile and exits 4', async () => {
    const e = await emulator()
    e.addFault({ method: 'GET', path: '/api/now/v2/table/cmdb_sam_sw_install', kind: 'status', status: 500 })
    const r = await runProbe(e, dir())
    expect(r.code).toBe(EXIT_CODES.instance)
    const profile = readProfile(r.out)
    for (const name of ['samPro', 'insertMultiplePlugin', 'ireSkipDuplicates'] as const) {
      const o = profile.switches[name]
      expect(o?.outcome).toBe('could-not-tell')
      expect(o?.outcome === 'could-not-tell' && o.reason.startsWith('the experiment platform-features failed: ')).toBe(true)
    }
    expect(Object.values(profile.switches).filter((o) => o.outcome === 'observed').length).toBe(9)
    expect(r.stderr).toContain('experiment platform-features: failed: ')
    expect(probeObjects(e)).toEqual([])
  })

  it('names the patch level from the build tag', () => {
    expect(['glide-zurich-07-01-2025__patch4-11-14-2025', 'glide-yokohama-12-18-2024__patch8-hotfix2-09-24-2025', 'glide-xanadu-07-02-2024', undefined].map(patchOf)).toEqual(['patch4', 'patch8-hotfix2', null, null])
  })

  it('--help lists its flags', async () => {
    const r = await runCli(['probe', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('usage: deploy-integration probe [flags]')
    expect(r.stdout).toContain('--out FILE')
    expect(r.stdout).toContain(PROBE.confirmFlag)
  })
})

