// The instance lock of the writing commands (deploy, rotate, uninstall): one sys_properties row named
// DEPLOY_LOCK.property whose value is the holder and its expiry. The platform is not documented to keep
// sys_properties.name unique (contract DEPLOY_LOCK), so two runs may both create one: each re-reads after its create
// and holds the lock only when its row is the only live one. Two runs cannot both see only their own row: the first
// create is committed before its run re-reads, so the second run's re-read sees it. Runs that both see both step
// back, delete their own row and try again after a random pause.
import { randomUUID } from 'node:crypto'
import { hostname, userInfo } from 'node:os'
import { DEPLOY_LOCK, EXIT_CODES, PLATFORM_TABLES } from '@kandji-sn/contract/constants'
import { query, type ServiceNowClient, type TableRecord } from '@kandji-sn/servicenow-client'
import type { CommandContext } from './context.ts'
import type { Session } from './session.ts'
import { CliError, isServiceNowErrorLike } from './errors.ts'
import { readHandoff } from './handoff.ts'

/** Who holds the lock, as stored in the property's value (JSON). */
export interface LockOwner {
  /** The admin account the run signed in as (or how it signed in, for a token or key). */
  user: string
  /** The person at the machine (the OS account), when it can be read. */
  osUser: string
  host: string
  pid: number
  runId: string
  command: string
  /** ISO 8601 UTC. */
  since: string
  expires: string
}

export interface LockOptions {
  command: string
  /** The admin account, for the message another run prints. */
  user: string
  /** --force-unlock: remove a live lock of another run first (its holder must be gone). */
  force?: boolean
  /** This run's id (default: a new one). */
  runId?: string
  /** Pauses between attempts after a collision; tests pass an instant one. */
  sleep?: (ms: number) => Promise<void>
  now?: () => Date
}

export interface HeldLock {
  owner: LockOwner
  sysId: string
  /** Lock rows of other runs removed on the way in (expired, damaged, or live with --force-unlock), in words. */
  tookOver: string[]
}

const ATTEMPTS = 5
const LOCK_FIELDS = ['sys_id', 'name', 'value']

function osUser(): string {
  try {
    return userInfo().username
  } catch {
    return 'unknown'
  }
}

function parseOwner(value: string | undefined): LockOwner | undefined {
  try {
    const v = JSON.parse(value ?? '') as Partial<LockOwner>
    if (typeof v.runId === 'string' && typeof v.expires === 'string' && !Number.isNaN(Date.parse(v.expires))) return v as LockOwner
  } catch {
    // not ours, or damaged: treated as expired below
  }
  return undefined
}

export interface LockRow {
  sysId: string
  owner: LockOwner | undefined
}

/** The lock rows, checked by name here too: an instance that ignored the query would list every property. */
async function readLocks(admin: ServiceNowClient): Promise<LockRow[]> {
  const rows: TableRecord[] = await admin.table.list(PLATFORM_TABLES.property, { query: query().eq('name', DEPLOY_LOCK.property).toString(), fields: LOCK_FIELDS })
  return rows.filter((r) => r.name === DEPLOY_LOCK.property && r.sys_id).map((r) => ({ sysId: r.sys_id!, owner: parseOwner(r.value) }))
}

const live = (row: LockRow, now: Date) => row.owner !== undefined && Date.parse(row.owner.expires) > now.getTime()

export function describeOwner(owner: LockOwner): string {
  return `${owner.command} by ${owner.user} (${owner.osUser}@${owner.host}, pid ${owner.pid}, run ${owner.runId}), since ${owner.since}, until ${owner.expires}`
}

export function lockHeldError(instance: string, holder: LockOwner): CliError {
  return new CliError(
    EXIT_CODES.instance,
    `another deploy-integration run holds the lock on ${instance}: ${describeOwner(holder)}`,
    `only one deploy, rotate or uninstall may change an instance at a time (the lock is the ${PLATFORM_TABLES.property} row "${DEPLOY_LOCK.property}"); two at once would create the OAuth client, the account or the app twice`,
    `wait for that run to finish and run this again (an expired lock is taken over: at the latest after ${holder.expires}); if that run is no longer running (its machine or process died), re-run with --force-unlock`,
  )
}

/**
 * Takes the lock or throws the holder's message. A lost answer to the create is settled by the re-read that follows
 * it (the row carries this run's id); a create the instance refused because the name is taken (an instance that keeps
 * it unique) is a collision like seeing another row.
 */
export async function acquireLock(admin: ServiceNowClient, instance: string, options: LockOptions): Promise<HeldLock> {
  const now = options.now ?? (() => new Date())
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const start = now()
  const owner: LockOwner = {
    user: options.user,
    osUser: osUser(),
    host: hostname(),
    pid: process.pid,
    runId: options.runId ?? randomUUID(),
    command: options.command,
    since: start.toISOString(),
    expires: new Date(start.getTime() + DEPLOY_LOCK.ttlMinutes * 60_000).toISOString(),
  }
  const tookOver: string[] = []
  const removed = new Set<string>()
  const removeOthers = async (rows: LockRow[], which: (row: LockRow) => boolean) => {
    for (const row of rows.filter((r) => r.owner?.runId !== owner.runId && which(r))) {
      await admin.table.delete(PLATFORM_TABLES.property, row.sysId)
      removed.add(row.sysId)
      const why = !row.owner ? `a damaged lock row ${row.sysId} (its value is not a lock's)` : `the lock of ${describeOwner(row.owner)} (${live(row, now()) ? '--force-unlock' : 'expired'})`
      tookOver.push(why)
    }
  }
  let force = options.force === true
  for (let attempt = 1; ; attempt++) {
    const before = await readLocks(admin)
    await removeOthers(before, (r) => force || !live(r, now()))
    force = false // only what was there before this run's first attempt
    const holder = before.find((r) => r.owner?.runId !== owner.runId && live(r, now()) && !removed.has(r.sysId))
    if (holder?.owner) throw lockHeldError(instance, holder.owner)
    let createError: unknown
    try {
      await admin.table.create(PLATFORM_TABLES.property, { name: DEPLOY_LOCK.property, value: JSON.stringify(owner), type: 'string', description: DEPLOY_LOCK.description })
    } catch (error) {
      createError = error
    }
    const after = await readLocks(admin)
    const mine = after.filter((r) => r.owner?.runId === owner.runId)
    const others = after.filter((r) => r.owner?.runId !== owner.runId && live(r, now()))
    if (mine.length > 0 && others.length === 0) {
      // A lost answer may hide two copies of this run's row (never here: the client does not resend a create).
      for (const extra of mine.slice(1)) await admin.table.delete(PLATFORM_TABLES.property, extra.sysId)
      return { owner, sysId: mine[0]!.sysId, tookOver }
    }
    for (const row of mine) await admin.table.delete(PLATFORM_TABLES.property, row.sysId)
    const refusedAsTaken = isServiceNowErrorLike(createError) && createError.status === 403 && others.length > 0
    if (createError !== undefined && !refusedAsTaken && others.length === 0) throw createError
    if (attempt >= ATTEMPTS) {
      const holder = others[0]?.owner
      if (holder) throw lockHeldError(instance, holder)
      throw new CliError(
        EXIT_CODES.instance,
        `could not take the lock on ${instance}: its ${PLATFORM_TABLES.property} row "${DEPLOY_LOCK.property}" was gone when read back, ${ATTEMPTS} times`,
        'another run removed it (--force-unlock), or the instance did not keep the row it answered for',
        `run again; if it keeps failing, look for "${DEPLOY_LOCK.property}" in System Properties (sys_properties.list)`,
      )
    }
    // Collided with a run that started at the same moment: both stepped back; a random pause lets one go first.
    await sleep(100 + Math.floor(Math.random() * 400))
  }
}

/** Removes the lock rows of a run, found by its id (for an interrupt, which may come before the create answered). */
async function removeRunRows(admin: ServiceNowClient, runId: string): Promise<void> {
  for (const row of await readLocks(admin)) if (row.owner?.runId === runId) await admin.table.delete(PLATFORM_TABLES.property, row.sysId)
}

/** Removes this run's lock row (by sys_id; a row already gone is fine). */
export async function releaseLock(admin: ServiceNowClient, lock: HeldLock): Promise<void> {
  await admin.table.delete(PLATFORM_TABLES.property, lock.sysId)
}

export function lockLeftError(instance: string, lock: HeldLock, error: unknown): CliError {
  const reason = error instanceof Error ? error.message : String(error)
  return new CliError(
    EXIT_CODES.instance,
    `the run's changes are done, but its lock on ${instance} could not be removed: ${reason}`,
    'the instance did not answer the delete of the lock row (it may be unreachable or overloaded); other runs are refused until the lock is gone',
    `when the instance answers again, run the same command with --force-unlock (it removes this lock, ${lock.owner.runId}), or wait until ${lock.owner.expires}, when it expires and is taken over`,
    { cause: error },
  )
}

/**
 * Takes the instance lock for the rest of the command (deploy, rotate, uninstall): released by
 * releaseInstanceLock before the command prints its result, or by the CLI when the command fails or is interrupted.
 */
export async function takeInstanceLock(ctx: CommandContext, admin: ServiceNowClient, instance: string, command: string, user: string): Promise<void> {
  const runId = randomUUID()
  // Registered before the create: an interrupt between the create and its answer still finds this run's row.
  const unregister = ctx.io.onInterrupt?.(() => removeRunRows(admin, runId))
  let lock: HeldLock
  try {
    lock = await acquireLock(admin, instance, { command, user, runId, force: ctx.flags['force-unlock'] === true, ...(ctx.deps.sleep ? { sleep: ctx.deps.sleep } : {}) })
  } catch (error) {
    unregister?.()
    // Not the holder's message (that run cleaned up after itself): a request failed, maybe after the create was done.
    if (!(error instanceof CliError)) await removeRunRows(admin, runId).catch(() => ctx.out.errorText(`warning: a lock row of this run (${runId}) may be left on ${instance}; it expires ${DEPLOY_LOCK.ttlMinutes} minutes after it was taken, or goes with --force-unlock`))
    throw error
  }
  for (const what of lock.tookOver) ctx.out.errorText(`warning: removed ${what}`)
  ctx.lock = {
    instance,
    async release() {
      unregister?.()
      ctx.lock = undefined
      await releaseLock(admin, lock)
    },
    leftError: (error) => lockLeftError(instance, lock, error),
  }
}

/** takeInstanceLock for an open session: the instance and the admin it signed in as. */
export function lockSession(session: Session, command: string): Promise<void> {
  const { ctx, config, admin } = session
  const user = config.admin.user ?? `(${ctx.requests.adminSignIn ?? 'admin'} sign-in)`
  return takeInstanceLock(ctx, admin, config.desired.instance.url, command, user)
}

/**
 * For a run that finds nothing to change and so takes no lock: refused while another run holds it (reads only). With
 * `force` (--force-unlock, at the start of the run) the live locks are removed instead, and each is named.
 */
/**
 * The lock rows, read now for refuseWhileLocked later: a deploy reads them with its plan (one round fewer); a
 * failure is taken only when they are used.
 */
export function startLockRead(admin: ServiceNowClient): Promise<LockRow[]> {
  const read = readLocks(admin)
  read.catch(() => undefined)
  return read
}

/** `read`: the rows startLockRead read once the plan's reads were under way (none that --force-unlock deletes). */
export async function refuseWhileLocked(session: Session, options: { force?: boolean; read?: Promise<LockRow[]> } = {}): Promise<void> {
  const now = new Date()
  const held = (await ((!options.force && options.read) || readLocks(session.admin))).filter((r) => live(r, now))
  if (held.length === 0) return
  if (!options.force) throw lockHeldError(session.config.desired.instance.url, held[0]!.owner!)
  for (const row of held) {
    await session.admin.table.delete(PLATFORM_TABLES.property, row.sysId)
    session.ctx.out.errorText(`warning: removed the lock of ${describeOwner(row.owner!)} (--force-unlock)`)
  }
}

/**
 * After the hand-off file's credentials were refused: whether another run changed them meanwhile (it holds the lock
 * now, or it rewrote the file since this run read it). Then this run lost a race, and says so, rather than blaming
 * the file.
 */
export async function raceOnCredentials(session: Session): Promise<CliError | undefined> {
  const path = session.config.credentialsOut
  const now = new Date()
  const holder = (await readLocks(session.admin)).find((r) => live(r, now))?.owner
  const rewritten = path !== undefined && session.handoff !== undefined && JSON.stringify(await readHandoff(path).catch(() => undefined)) !== JSON.stringify(session.handoff)
  if (!holder && !rewritten) return undefined
  return new CliError(
    EXIT_CODES.instance,
    `another run changed the credentials while this one tested them: ${holder ? describeOwner(holder) : `${path} was rewritten since this run read it`}`,
    'two runs at once on one instance: a rotate (or a deploy that set new credentials) ran while this deploy found nothing to change and tested the old credentials',
    holder ? `wait for that run to finish (at the latest until ${holder.expires}), then run this deploy again` : 'run this deploy again: it tests the credentials the file holds now',
  )
}
