// The CLI against instances that answer the install protocol as ServiceNow documents it (audit items 9-17), through
// the real client: repository installs with null progress fields and re-runs, slow and tracker-less uploads, the
// legacy UI session, uninstall outcomes and the Update-Mutex, probe clean-up by sys_id, and the OAuth client's writes.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP, EXIT_CODES, OAUTH_CLIENT, PLATFORM_TABLES, TABLES } from '@kandji-sn/contract/constants'
import { handoffSchema } from '@kandji-sn/contract'
import { loadKandjiApp, startEmulator, type Emulator, type EmulatorOptions } from '@kandji-sn/instance-emulator'
import { runCli, tempDir } from './support/run-cli.ts'

const app = await loadKandjiApp()
const env = (emulator: Emulator): NodeJS.ProcessEnv => ({ SN_INSTANCE: emulator.url, SN_ADMIN_USER: 'admin', SN_ADMIN_PASSWORD: 'admin' })
const UPLOAD = 'POST /sn_appclient_upload_processor.do'
const REPO_INSTALL = 'POST /api/sn_cicd/app_repo/install'

async function withEmulator(options: EmulatorOptions, body: (emulator: Emulator) => Promise<void>): Promise<void> {
  const emulator = await startEmulator(options)
  try {
    await body(emulator)
  } finally {
    await emulator.close()
  }
}

const installedVersion = (emulator: Emulator) => emulator.db.query(PLATFORM_TABLES.scope, `scope=${APP.scope}`).map((r) => r.version)
const mutexHeld = (emulator: Emulator) => emulator.db.query(PLATFORM_TABLES.mutex, 'name=Update-Mutex^acquiredISNOTEMPTY').length > 0
const noError = (stderr: string) => expect(stderr.replace(/^.*: \d+%.*\n|^(installing|upgrading|uninstalling) .*\n/gm, '')).not.toMatch(/^error:/m)

describe.each(['empty-string', 'null'] as const)('--app-source repo (progressEmptyFields %s)', (progressEmptyFields) => {
  it('a first install (rollback_version null) converges, and a second deploy starts no second install', async () => {
    await withEmulator({ switches: { progressEmptyFields } }, async (emulator) => {
      await emulator.publishApp(app.bytes)
      const first = await runCli(['deploy', '--yes', '--no-verify', '--app-source', 'repo'], { env: env(emulator) })
      noError(first.stderr)
      expect(first.code).toBe(EXIT_CODES.ok)
      expect(first.stdout).toMatch(/app: first install/)
      const second = await runCli(['deploy', '--yes', '--no-verify', '--app-source', 'repo'], { env: env(emulator) })
      expect(second.code).toBe(EXIT_CODES.ok)
      expect(emulator.counters.byRoute[REPO_INSTALL]).toBe(1)
      expect(installedVersion(emulator)).toHaveLength(1)
    })
  })
})

describe('a CI/CD refusal', () => {
  it('names the reason the instance gave in result.error (a version not published)', async () => {
    await withEmulator({}, async (emulator) => {
      await emulator.publishApp(app.bytes)
      const r = await runCli(['deploy', '--yes', '--no-verify', '--app-source', 'repo', '--app-version', '9.9.9'], { env: env(emulator) })
      expect(r.code).toBe(EXIT_CODES.instance)
      expect(r.stderr).toMatch(/^error: the instance has no such resource \(404 on POST \/api\/sn_cicd\/app_repo\/install \(No version 9\.9\.9 of x_kandj_kandji has been published to the application repository: Application not found\)\)$/m)
      // Refused before anything started: no warning that the install may still be running.
      expect(r.stderr).not.toMatch(/outcome is unknown/)
    })
  })
})

describe('a re-run while the install an earlier run started is still running', () => {
  it('waits on that install (sys_execution_tracker) instead of starting another', async () => {
    await withEmulator({}, async (emulator) => {
      await emulator.publishApp(app.bytes)
      const auth = `Basic ${Buffer.from('admin:admin').toString('base64')}`
      // The earlier run: it started the install and stopped before following it.
      const started = await fetch(`${emulator.url}/api/sn_cicd/app_repo/install?scope=${APP.scope}`, { method: 'POST', headers: { Authorization: auth, Accept: 'application/json' } })
      expect(started.status).toBe(200)
      const r = await runCli(['deploy', '--yes', '--no-verify', '--app-source', 'repo'], { env: env(emulator) })
      noError(r.stderr)
      expect(r.code).toBe(EXIT_CODES.ok)
      expect(r.stderr).toMatch(/an install of x_kandj_kandji started earlier is still running/)
      expect(emulator.counters.byRoute[REPO_INSTALL]).toBe(1)
      expect(installedVersion(emulator)).toHaveLength(1)
    })
  })
})

describe('uploads', () => {
  it('an upload install slower than --timeout converges: the upload waits for its answer and is sent once', async () => {
    await withEmulator({ uploadInstallDelayMs: 3000 }, async (emulator) => {
      const r = await runCli(['deploy', '--yes', '--no-verify', '--timeout', '1', '--app-package', app.zip], { env: env(emulator) })
      noError(r.stderr)
      expect(r.code).toBe(EXIT_CODES.ok)
      expect(emulator.counters.byRoute[UPLOAD]).toBe(1)
      expect(installedVersion(emulator)).toHaveLength(1)
    })
  })

  it.each([false, true])('an upload answered without a tracker converges through sys_upgrade_history (a second deploy: %s)', async (again) => {
    await withEmulator({ switches: { uploadExecutionTracker: 'absent' } }, async (emulator) => {
      const r = await runCli(['deploy', '--yes', '--no-verify', '--app-package', app.zip], { env: env(emulator) })
      noError(r.stderr)
      expect(r.code).toBe(EXIT_CODES.ok)
      expect(installedVersion(emulator)).toHaveLength(1)
      if (again) {
        const second = await runCli(['deploy', '--yes', '--no-verify', '--app-package', app.zip], { env: env(emulator) })
        expect(second.code).toBe(EXIT_CODES.ok)
        expect(emulator.counters.byRoute[UPLOAD]).toBe(1)
      }
    })
  })

  it('an instance on the legacy security model (get_user 200, no user token) converges', async () => {
    await withEmulator({ switches: { uiSessionSecurity: 'legacy' } }, async (emulator) => {
      const r = await runCli(['deploy', '--yes', '--no-verify', '--app-package', app.zip], { env: env(emulator) })
      noError(r.stderr)
      expect(r.code).toBe(EXIT_CODES.ok)
      expect(installedVersion(emulator)).toHaveLength(1)
    })
  })
})

describe('uninstall --app', () => {
  it('returns once the Update-Mutex is free, so a deploy right after does not queue behind it', async () => {
    await withEmulator({ updateMutexHoldMs: 1500 }, async (emulator) => {
      expect((await runCli(['deploy', '--yes', '--no-verify', '--app-package', app.zip], { env: env(emulator) })).code).toBe(EXIT_CODES.ok)
      const gone = await runCli(['uninstall', '--yes', '--app'], { env: env(emulator) })
      expect(gone.code).toBe(EXIT_CODES.ok)
      expect(mutexHeld(emulator)).toBe(false)
      expect(installedVersion(emulator)).toEqual([])
      const again = await runCli(['deploy', '--yes', '--no-verify', '--app-package', app.zip], { env: env(emulator) })
      noError(again.stderr)
      expect(again.code).toBe(EXIT_CODES.ok)
      expect(installedVersion(emulator)).toHaveLength(1)
    })
  })

  it.each([
    ['partially-deleted', [], /^warning: the uninstall finished with "Failed to completely delete application [0-9a-f]{32}: some ACL protected metadata may remain": .*$/m],
    ['deactivated', ['false'], /^warning: the application record stays on the instance, inactive/m],
  ] as const)('a %s uninstall is done with a warning (exit 0)', async (uninstallOutcome, left, warning) => {
    await withEmulator({ updateMutexHoldMs: 0, switches: { uninstallOutcome } }, async (emulator) => {
      expect((await runCli(['deploy', '--yes', '--no-verify', '--app-package', app.zip], { env: env(emulator) })).code).toBe(EXIT_CODES.ok)
      const r = await runCli(['uninstall', '--yes', '--app'], { env: env(emulator) })
      expect(r.code).toBe(EXIT_CODES.ok)
      expect(r.stderr).toMatch(warning)
      expect(emulator.db.query(PLATFORM_TABLES.scope, `scope=${APP.scope}`).map((s) => s.active)).toEqual(left)
    })
  })
})

describe('the probe clean-up deletes by sys_id only', () => {
  it('on a staging table without the probe column, no other row and no other import set is deleted', async () => {
    await withEmulator({}, async (emulator) => {
      const creds = join(tempDir(), 'h.json')
      expect((await runCli(['deploy', '--yes', '--no-verify', '--app-package', app.zip, '--credentials-out', creds], { env: env(emulator) })).code).toBe(EXIT_CODES.ok)
      // Iru Endpoint's rows in two sets of their own, then the column the probe lookup filters on disappears.
      const sets = ['a', 'b'].map((n) => emulator.db.insert(PLATFORM_TABLES.importSet, { table_name: TABLES.deviceImport, mode: 'asynchronous', state: 'processed', short_description: n }).sys_id as string)
      const rows = sets.flatMap((set, i) => [0, 1].map((j) => emulator.db.insert(TABLES.deviceImport, { sys_import_set: set, serial_number: `C02${i}${j}`, sys_import_state: 'inserted' }).sys_id as string))
      const before = emulator.db.query(TABLES.deviceImport).map((r) => r.sys_id).sort()
      emulator.db.dictionary.get(TABLES.deviceImport)?.columns.delete('device_id')
      await runCli(['verify', '--as-service-account', '--credentials-out', creds], { env: env(emulator) })
      const after = new Set(emulator.db.query(TABLES.deviceImport).map((r) => r.sys_id))
      for (const id of [...rows, ...before]) expect(after.has(id), `staging row ${id}`).toBe(true)
      for (const set of sets) expect(emulator.db.get(PLATFORM_TABLES.importSet, set), `import set ${set}`).toBeDefined()
    })
  })
})

describe('uninstall deletes by verified sys_ids only', () => {
  it("with sys_user_has_role.user gone from the dictionary (its clause ignored), no other user's role grant is deleted", async () => {
    await withEmulator({}, async (emulator) => {
      expect((await runCli(['deploy', '--yes', '--no-verify', '--app-package', app.zip], { env: env(emulator) })).code).toBe(EXIT_CODES.ok)
      const admin = emulator.db.findOne(PLATFORM_TABLES.user, 'user_name=admin')!
      const adminGrants = emulator.db.query(PLATFORM_TABLES.userRole, `user=${admin.sys_id}`).map((g) => g.sys_id).sort()
      expect(adminGrants.length).toBeGreaterThan(0)
      emulator.db.dictionary.get(PLATFORM_TABLES.userRole)?.columns.delete('user')
      await runCli(['uninstall', '--yes'], { env: env(emulator) })
      // (The emulator's own inherited-role bookkeeping also reads that column, so only the rows that were there count.)
      const left = new Set(emulator.db.query(PLATFORM_TABLES.userRole, `user=${admin.sys_id}`).map((g) => g.sys_id))
      expect(adminGrants.filter((id) => !left.has(id))).toEqual([])
    })
  })
})

describe.each(['label-only', 'label-or-value'] as const)('the OAuth client (choiceInputDisplayValue %s)', (choiceInputDisplayValue) => {
  it('is created with type and scope restriction as values, and its secret works', async () => {
    await withEmulator({ switches: { choiceInputDisplayValue } }, async (emulator) => {
      const creds = join(tempDir(), 'h.json')
      const r = await runCli(['deploy', '--yes', '--no-verify', '--app-package', app.zip, '--credentials-out', creds], { env: env(emulator) })
      expect(r.code).toBe(EXIT_CODES.ok)
      expect(r.stdout).toMatch(/pass password_grant/)
      const client = emulator.db.findOne(PLATFORM_TABLES.oauthEntity, `name=${OAUTH_CLIENT.defaultName}`)
      expect({ type: client?.type, restriction: client?.[OAUTH_CLIENT.scopeRestrictionField] }).toEqual({ type: OAUTH_CLIENT.type, restriction: OAUTH_CLIENT.broadlyScopedValue })
    })
  })
})

describe('the OAuth client after a deploy stopped between its create and its secret', () => {
  it('a re-run sets the saved secret on the client it finds, and the hand-off works', async () => {
    await withEmulator({}, async (emulator) => {
      const creds = join(tempDir(), 'h.json')
      // Every attempt of the secret's PATCH fails: the client exists, its secret is the instance's own.
      emulator.addFault({ kind: 'status', status: 503, method: 'PATCH', path: '/api/now/table/oauth_entity', times: 10 })
      const stopped = await runCli(['deploy', '--yes', '--no-verify', '--app-package', app.zip, '--credentials-out', creds], { env: env(emulator) })
      expect(stopped.code).not.toBe(EXIT_CODES.ok)
      expect(emulator.db.query(PLATFORM_TABLES.oauthEntity, `name=${OAUTH_CLIENT.defaultName}`)).toHaveLength(1)
      emulator.clearFaults()
      const rerun = await runCli(['deploy', '--yes', '--no-verify', '--app-package', app.zip, '--credentials-out', creds], { env: env(emulator) })
      noError(rerun.stderr)
      expect(rerun.code).toBe(EXIT_CODES.ok)
      expect(rerun.stdout).toMatch(/pass password_grant/)
      expect(emulator.db.query(PLATFORM_TABLES.oauthEntity, `name=${OAUTH_CLIENT.defaultName}`)).toHaveLength(1)
      const handoff = handoffSchema.parse(JSON.parse(readFileSync(creds, 'utf8')))
      expect(rerun.all).not.toContain(handoff.client_secret)
    })
  })
})
