// applyApp and uninstallApp with a hand-made client: what each sends, in which order, what it shows, what it returns
// (the rollback line), how an operation an earlier run left running is waited on instead of repeated, and how a wait
// that ran out is worded.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP, EXIT_CODES } from '@kandji-sn/contract/constants'
import { ServiceNowError, type ServiceNowClient } from '@kandji-sn/servicenow-client'
import { CliError } from '../errors.ts'
import { applyApp, uninstallApp, type AppDesired } from './app.ts'
import type { InstalledApp } from './preflight.ts'
import type { AppChange, ApplyContext } from './types.ts'

const zipPath = join(mkdtempSync(join(tmpdir(), 'app-apply-')), 'kandji.zip')
writeFileSync(zipPath, Buffer.from([0x50, 0x4b, 3, 4]))
const pkg = { path: zipPath, scope: APP.scope, scopeId: APP.scopeId, version: '1.3.0' }

type AppApi = Partial<Record<'findRunningInstall' | 'waitForProgress' | 'uploadPackage' | 'waitForUpgradeHistory' | 'installFromRepo' | 'uninstall' | 'waitForUninstall', (...args: unknown[]) => unknown>>
const progressOf = (percent: number, message: string, label = 'Running') => ({ percentComplete: percent, statusMessage: message, statusLabel: label })

function setUp(app: AppApi, installedVersion?: string) {
  const calls: unknown[][] = []
  const shown: string[] = []
  const api = Object.fromEntries(
    (['findRunningInstall', 'waitForProgress', 'uploadPackage', 'waitForUpgradeHistory', 'installFromRepo', 'uninstall', 'waitForUninstall'] as const).map((name) => [
      name,
      async (...args: unknown[]) => {
        calls.push([name, ...args])
        const f = app[name]
        if (!f) throw new Error(`unexpected call ${name}`)
        return f(...args)
      },
    ]),
  )
  const admin = {
    app: api,
    table: {
      findOne: async (table: string) => {
        calls.push(['findOne', table])
        return table === 'sys_scope' && installedVersion !== undefined ? { sys_id: APP.scopeId, version: installedVersion } : undefined
      },
      // readInstalledApp's sys_store_app and sys_app reads (by scope): no such records here
      list: async (table: string) => {
        calls.push(['list', table])
        return []
      },
    },
  } as unknown as ServiceNowClient
  const out = {
    progress: (label: string) => {
      shown.push(`start ${label}`)
      return { update: (t: string) => void shown.push(`update ${t}`), done: (t: string) => void shown.push(`done ${t}`) }
    },
  } as unknown as ApplyContext['out']
  const ctx: ApplyContext = { admin, out, state: {} }
  return { ctx, admin, calls, shown }
}

const change = (extra: Partial<AppChange>): AppChange =>
  ({ step: 'app', action: 'install', key: `sys_scope scope=${APP.scope}`, fields: [], source: 'package', version: '1.3.0', reason: 'r', ...extra }) as AppChange
const fromPackage: AppDesired = { source: 'package', package: pkg }
const fromRepo: AppDesired = { source: 'repo' }

/** Calls the progress callback a wait was given, as the client would. */
const reporting = (result: unknown) => (_id: unknown, opts: unknown) => {
  const onProgress = (opts as { onProgress?: (p: unknown) => void } | undefined)?.onProgress
  onProgress?.(progressOf(40, 'Installing tables'))
  onProgress?.(progressOf(100, '', 'Succeeded'))
  return result
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure')
    },
    (e: unknown) => e,
  )
}

describe('applyApp', () => {
  it('a package install: looks for a running install by scope and sys_id, uploads the zip, follows the tracker', async () => {
    const { ctx, calls, shown } = setUp({
      findRunningInstall: () => undefined,
      uploadPackage: () => ({ trackerId: 'trk-1', rollbackContext: 'ctx-9' }),
      waitForProgress: reporting({}),
    })
    const result = await applyApp(change({}), fromPackage, ctx)
    expect(result).toEqual({ version: '1.3.0', rollbackVersion: undefined, rollbackContext: 'ctx-9' })
    expect(calls.map((c) => c[0])).toEqual(['findRunningInstall', 'uploadPackage', 'waitForProgress'])
    expect(calls[0]).toEqual(['findRunningInstall', { scope: APP.scope, scopeId: APP.scopeId }])
    expect(calls[1]?.slice(1)).toEqual([new Uint8Array([0x50, 0x4b, 3, 4]), { scopeId: APP.scopeId, scope: APP.scope, version: '1.3.0' }])
    expect(calls[2]?.[1]).toBe('trk-1')
    expect(shown).toEqual([
      `start installing ${APP.scope}`,
      `update uploading ${zipPath}`,
      'update 40% Installing tables',
      'update 100% Succeeded',
      'done done (first install: undo with `uninstall --app`)',
    ])
  })

  it('an upgrade of a Store-class app keeps the class and offers the version it came from for rollback', async () => {
    const { ctx, calls, shown } = setUp({
      findRunningInstall: () => undefined,
      uploadPackage: () => ({ trackerId: 'trk-1', rollbackContext: 'ctx-9' }),
      waitForProgress: () => ({}),
    })
    const result = await applyApp(change({ action: 'upgrade', storeApp: true, fromVersion: '1.2.0' }), fromPackage, ctx)
    expect(result).toEqual({ version: '1.3.0', rollbackVersion: '1.2.0', rollbackContext: 'ctx-9' })
    expect(calls[1]?.[2]).toEqual({ scopeId: APP.scopeId, scope: APP.scope, version: '1.3.0', storeApp: true })
    expect(shown[0]).toBe(`start upgrading ${APP.scope}`)
    expect(shown.at(-1)).toBe('done done (rollback version 1.2.0)')
  })

  it("the tracker's rollback version wins over the version it came from", async () => {
    const { ctx } = setUp({ findRunningInstall: () => undefined, uploadPackage: () => ({ trackerId: 't' }), waitForProgress: () => ({ rollbackVersion: '1.1.9' }) })
    expect(await applyApp(change({ action: 'upgrade', fromVersion: '1.2.0' }), fromPackage, ctx)).toEqual({ version: '1.3.0', rollbackVersion: '1.1.9', rollbackContext: undefined })
  })

  it('an upload answered without a tracker: waits on sys_upgrade_history from the count it had before', async () => {
    const { ctx, calls, shown } = setUp({
      findRunningInstall: () => undefined,
      uploadPackage: () => ({ upgradeHistoryBefore: 7, rollbackContext: 'c' }),
      waitForUpgradeHistory: () => undefined,
    })
    expect(await applyApp(change({}), fromPackage, ctx)).toEqual({ version: '1.3.0', rollbackVersion: undefined, rollbackContext: 'c' })
    expect(calls.map((c) => c[0])).toEqual(['findRunningInstall', 'uploadPackage', 'waitForUpgradeHistory'])
    expect(calls[2]).toEqual(['waitForUpgradeHistory', APP.scope, 7])
    expect(shown).toContain('update waiting for sys_upgrade_history to show the install')
  })

  it('a repository install: the version asked for, the rollback version the CI/CD API answered, no rollback context', async () => {
    const { ctx, calls } = setUp({ findRunningInstall: () => undefined, installFromRepo: () => ({ progressId: 'p-1', rollbackVersion: '1.0.0' }), waitForProgress: () => ({}) })
    expect(await applyApp(change({ source: 'repo', action: 'upgrade', version: '1.4.0', fromVersion: '0.9.0' }), fromRepo, ctx)).toEqual({ version: '1.4.0', rollbackVersion: '1.0.0', rollbackContext: undefined })
    expect(calls.slice(1).map((c) => c.slice(0, 2))).toEqual([
      ['installFromRepo', { scope: APP.scope, version: '1.4.0' }],
      ['waitForProgress', 'p-1'],
    ])
  })

  it('a repository install of the latest version sends no version, and without a progress id waits on nothing', async () => {
    const { ctx, calls, shown } = setUp({ findRunningInstall: () => undefined, installFromRepo: () => ({}) })
    expect(await applyApp(change({ source: 'repo', version: undefined }), fromRepo, ctx)).toEqual({ version: undefined, rollbackVersion: undefined, rollbackContext: undefined })
    expect(calls.map((c) => c.slice(0, 2))).toEqual([
      ['findRunningInstall', { scope: APP.scope, scopeId: APP.scopeId }],
      ['installFromRepo', { scope: APP.scope }],
    ])
    expect(shown.at(-1)).toBe('done done (first install: undo with `uninstall --app`)')
  })

  it('an install still running from an earlier run that brought the wanted version: waited on, nothing sent', async () => {
    const { ctx, calls, shown } = setUp({ findRunningInstall: () => 'trk-old', waitForProgress: reporting({ rollbackVersion: '1.2.0' }) }, '1.3.0')
    expect(await applyApp(change({ fromVersion: '1.1.0' }), fromPackage, ctx)).toEqual({ version: '1.3.0', rollbackVersion: '1.2.0' })
    expect(calls.map((c) => c[0])).toEqual(['findRunningInstall', 'waitForProgress', 'findOne', 'list', 'list'])
    expect(calls[1]?.[1]).toBe('trk-old')
    expect(shown).toEqual([
      `start installing ${APP.scope}`,
      `update an install of ${APP.scope} started earlier is still running (sys_execution_tracker trk-old): waiting for it`,
      'update 40% Installing tables',
      'update 100% Succeeded',
      'done done by the install already running (version 1.3.0)',
    ])
  })

  it('a running install with no rollback version of its own falls back to the version the change came from', async () => {
    const { ctx } = setUp({ findRunningInstall: () => 'trk-old', waitForProgress: () => ({}) }, '1.3.0')
    expect(await applyApp(change({ fromVersion: '1.1.0' }), fromPackage, ctx)).toEqual({ version: '1.3.0', rollbackVersion: '1.1.0' })
  })

  it('a running install for the latest repository version is enough whatever version it brought', async () => {
    const { ctx, calls } = setUp({ findRunningInstall: () => 'trk-old', waitForProgress: () => ({}) }, '2.0.0')
    expect(await applyApp(change({ source: 'repo', version: undefined }), fromRepo, ctx)).toEqual({ version: '2.0.0', rollbackVersion: undefined })
    expect(calls.some((c) => c[0] === 'installFromRepo')).toBe(false)
  })

  it('a running install that brought another version (or left nothing): then the wanted one is installed', async () => {
    for (const installed of ['1.2.0', undefined]) {
      const { ctx, calls } = setUp({ findRunningInstall: () => 'trk-old', waitForProgress: () => ({}), uploadPackage: () => ({ trackerId: 'trk-new' }) }, installed)
      expect(await applyApp(change({}), fromPackage, ctx)).toEqual({ version: '1.3.0', rollbackVersion: undefined, rollbackContext: undefined })
      expect(calls.filter((c) => c[0] !== 'findOne' && c[0] !== 'list').map((c) => [c[0], typeof c[1] === 'string' ? c[1] : '-'])).toEqual([
        ['findRunningInstall', '-'],
        ['waitForProgress', 'trk-old'],
        ['uploadPackage', '-'],
        ['waitForProgress', 'trk-new'],
      ])
    }
  })

  it("looks for a running install by the package's own scope id", async () => {
    const { ctx, calls } = setUp({ findRunningInstall: () => undefined, uploadPackage: () => ({}), waitForUpgradeHistory: () => undefined })
    await applyApp(change({}), { source: 'package', package: { ...pkg, scopeId: 'other-id' } }, ctx)
    expect(calls[0]).toEqual(['findRunningInstall', { scope: APP.scope, scopeId: 'other-id' }])
  })

  it('a package change without a package is an internal error, shown as failed', async () => {
    const { ctx, shown } = setUp({ findRunningInstall: () => undefined })
    const error = await failure(applyApp(change({}), { source: 'package' }, ctx))
    expect((error as Error).message).toBe('internal: app source package without a package')
    expect(shown.at(-1)).toBe('done failed')
  })

  it('a wait that ran out on an answering instance: an instance error saying it may still run and that a re-run waits for it', async () => {
    const ranOut = new ServiceNowError({ kind: 'timeout', method: 'GET', path: '/api/sn_cicd/progress/t', message: 'the install did not finish within 30 min', hint: 'open the instance\'s Application Manager' })
    const { ctx, shown } = setUp({ findRunningInstall: () => undefined, uploadPackage: () => ({ trackerId: 't' }), waitForProgress: () => Promise.reject(ranOut) })
    const error = (await failure(applyApp(change({}), fromPackage, ctx))) as CliError
    expect(error).toBeInstanceOf(CliError)
    expect([error.exitCode, error.message, error.causeText, error.fix, error.cause]).toEqual([
      EXIT_CODES.instance,
      'the install did not finish within 30 min',
      'the install is still running on the instance, or stopped without saying so',
      "open the instance's Application Manager; running deploy again waits for an install still running instead of starting another",
      ranOut,
    ])
    expect(shown.at(-1)).toBe('done failed')
  })

  it('a network timeout (it carries its cause) and other failures pass through unchanged', async () => {
    const network = new ServiceNowError({ kind: 'timeout', method: 'POST', path: '/p', message: 'm', hint: 'h', cause: new Error('ETIMEDOUT') })
    const refused = new ServiceNowError({ kind: 'permission', status: 403, method: 'POST', path: '/p', message: 'm', hint: 'h' })
    for (const e of [network, refused, new Error('boom')]) {
      const { ctx } = setUp({ findRunningInstall: () => Promise.reject(e) })
      expect(await failure(applyApp(change({}), fromPackage, ctx))).toBe(e)
    }
  })

  it('a wait that ran out without a hint says to check the instance', async () => {
    const ranOut = new ServiceNowError({ kind: 'timeout', method: 'GET', path: '/p', message: 'm', hint: undefined as unknown as string })
    const { ctx } = setUp({ findRunningInstall: () => Promise.reject(ranOut) })
    const error = (await failure(applyApp(change({}), fromPackage, ctx))) as CliError
    expect(error.fix).toBe('check the instance; running deploy again waits for an install still running instead of starting another')
  })
})

describe('uninstallApp', () => {
  const installed: InstalledApp = { sysId: 'app-1', scope: APP.scope, name: APP.name, version: '1.3.0', storeApp: true, active: true, ownBuild: false }

  it('uninstalls by the app record, waits until the instance is done, and returns its warnings', async () => {
    const { ctx, admin, calls, shown } = setUp({
      findRunningInstall: () => undefined,
      uninstall: () => ({ progressId: 'u-1' }),
      waitForUninstall: (_id, _app, opts) => {
        ;(opts as { onProgress: (p: unknown) => void }).onProgress(progressOf(50, 'Deleting tables'))
        return { warnings: ['table x was not removed'] }
      },
    })
    expect(await uninstallApp(admin, installed, ctx)).toEqual(['table x was not removed'])
    expect(calls.map((c) => c.slice(0, 3))).toEqual([
      ['findRunningInstall', { scope: APP.scope, scopeId: 'app-1' }],
      ['uninstall', { scopeId: 'app-1', storeApp: true }],
      ['waitForUninstall', 'u-1', { scope: APP.scope, scopeId: 'app-1' }],
    ])
    expect(shown).toEqual([`start uninstalling ${APP.scope}`, 'update 50% Deleting tables', 'done done, with warnings'])
  })

  it('without warnings it is simply done', async () => {
    const { ctx, admin, shown } = setUp({ findRunningInstall: () => undefined, uninstall: () => ({ progressId: 'u-1' }), waitForUninstall: () => ({ warnings: [] }) })
    expect(await uninstallApp(admin, { ...installed, storeApp: false }, ctx)).toEqual([])
    expect(shown.at(-1)).toBe('done done')
  })

  it('an operation an earlier run left running that removed the app: waited on, no second uninstall', async () => {
    const { ctx, admin, calls, shown } = setUp({ findRunningInstall: () => 'u-old', waitForProgress: reporting({}) })
    expect(await uninstallApp(admin, installed, ctx)).toEqual([])
    expect(calls.map((c) => c[0])).toEqual(['findRunningInstall', 'waitForProgress', 'findOne', 'list', 'list'])
    expect(shown).toEqual([
      `start uninstalling ${APP.scope}`,
      `update an operation on ${APP.scope} started earlier is still running (sys_execution_tracker u-old): waiting for it`,
      'update 40% Installing tables',
      'update 100% Succeeded',
      'done done by the uninstall already running',
    ])
  })

  it('an operation left running after which the app is still there: then it is uninstalled', async () => {
    const { ctx, admin, calls } = setUp({ findRunningInstall: () => 'u-old', waitForProgress: () => ({}), uninstall: () => ({ progressId: 'u-2' }), waitForUninstall: () => ({ warnings: [] }) }, '1.3.0')
    expect(await uninstallApp(admin, installed, ctx)).toEqual([])
    expect(calls.filter((c) => c[0] !== 'findOne' && c[0] !== 'list').map((c) => c[0])).toEqual(['findRunningInstall', 'waitForProgress', 'uninstall', 'waitForUninstall'])
  })

  it('a wait that ran out: an instance error saying to run uninstall --app again once the instance is done', async () => {
    const ranOut = new ServiceNowError({ kind: 'timeout', method: 'GET', path: '/p', message: 'the uninstall did not finish', hint: 'watch the Update-Mutex' })
    const { ctx, admin, shown } = setUp({ findRunningInstall: () => undefined, uninstall: () => ({ progressId: 'u' }), waitForUninstall: () => Promise.reject(ranOut) })
    const error = (await failure(uninstallApp(admin, installed, ctx))) as CliError
    expect([error.exitCode, error.message, error.causeText, error.fix]).toEqual([
      EXIT_CODES.instance,
      'the uninstall did not finish',
      'the uninstall is still running on the instance, or stopped without saying so',
      'watch the Update-Mutex; once the instance is done, run `uninstall --app` again to check nothing is left',
    ])
    expect(shown.at(-1)).toBe('done failed')
    const refused = new ServiceNowError({ kind: 'permission', status: 403, method: 'POST', path: '/p', message: 'm', hint: 'h' })
    const other = setUp({ findRunningInstall: () => undefined, uninstall: () => Promise.reject(refused) })
    expect(await failure(uninstallApp(other.admin, installed, other.ctx))).toBe(refused)
  })
})
