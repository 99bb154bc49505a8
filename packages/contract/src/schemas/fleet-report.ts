import { z } from 'zod'
import { CHECK_IDS, EXIT_CODES } from '../constants.ts'
import { driftEntrySchema } from './drift.ts'
import { checkStatusSchema } from './verification-report.ts'

/** The commands a fleet runs on each instance. */
export const FLEET_COMMANDS = ['plan', 'deploy', 'verify'] as const
export type FleetCommand = (typeof FLEET_COMMANDS)[number]

/**
 * Where an instance of a fleet run stands: `ok` (exit 0), `drifted` (exit 5: `plan --detailed-exitcode` found changes
 * pending or `verify --drift` found drift, and nothing failed), `failed` (any other exit code, a deadline included),
 * `interrupted` (the run was cancelled while it ran), `pending` (not started: cancelled before its turn).
 */
export const FLEET_INSTANCE_STATUSES = ['ok', 'drifted', 'failed', 'interrupted', 'pending'] as const
export type FleetInstanceStatus = (typeof FLEET_INSTANCE_STATUSES)[number]

const exitCodeSchema = z.literal(Object.values(EXIT_CODES))

export const fleetErrorSchema = z.object({ message: z.string().min(1), cause: z.string(), fix: z.string() }).strict()

export const fleetInstanceSchema = z
  .object({
    instance: z.string().url(),
    tenant: z.string().min(1),
    command: z.enum(FLEET_COMMANDS),
    status: z.enum(FLEET_INSTANCE_STATUSES),
    /** null while pending or interrupted. */
    exitCode: exitCodeSchema.nullable(),
    /** Changes planned (plan) or applied (deploy); null for verify or when the run gave no count. */
    changes: z.number().int().min(0).nullable(),
    /** The verification's checks (ids and status); empty when the run did not verify. */
    checks: z.array(z.object({ id: z.enum(CHECK_IDS), status: checkStatusSchema, fix: z.string().optional() }).strict()),
    /** How the instance differs from the desired state, when the command reports it (`fleet verify --drift`, plan). */
    drift: z.array(driftEntrySchema),
    timing: z.object({ start: z.string().datetime(), end: z.string().datetime(), ms: z.number().int().min(0) }).strict().nullable(),
    error: fleetErrorSchema.nullable(),
    /** Paths relative to the --out directory. */
    log: z.string().nullable(),
    handoff: z.string().nullable(),
    /**
     * `fleet verify`: the push figures of the app's status endpoint (GET …/integration/status); null when the instance
     * could not tell (no app of this project, an app older than the endpoint). Absent for other commands and in states
     * written before it existed.
     */
    push: z
      .object({ lastPushAt: z.string().nullable(), lastPushAgeSeconds: z.number().int().min(0).nullable(), health: z.string().min(1) })
      .strict()
      .nullable()
      .optional(),
    /** true when this entry was carried over from an earlier run's state by --resume (not run again). */
    carriedOver: z.boolean(),
  })
  .strict()
export type FleetInstanceReport = z.infer<typeof fleetInstanceSchema>

export const FLEET_REPORT_SCHEMA_ID = 'kandji-sn/fleet-report@1'

/**
 * A fleet run's report: `fleet … --out DIR` writes it as DIR/state.json after each instance, `fleet merge` combines
 * the states of several shards into one. The shape is a stable interface (ARCHITECTURE.md).
 */
export const fleetReportSchema = z
  .object({
    schema: z.literal(FLEET_REPORT_SCHEMA_ID),
    command: z.enum(FLEET_COMMANDS),
    /** sha256 of the fleet file's bytes: states of different fleet files do not merge or resume. */
    fleetHash: z.string().regex(/^[0-9a-f]{64}$/),
    /** How many instances the whole fleet file lists (all shards). */
    fleetSize: z.number().int().min(1),
    /** The app version the run deploys or checks for (from the fleet file's defaults); null when it names none. */
    appVersion: z.string().nullable(),
    /** The slice of the fleet this state covers; null for the whole fleet. A merged report lists every shard. */
    shards: z.array(z.object({ index: z.number().int().min(1), total: z.number().int().min(1) }).strict()),
    startedAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
    /** The worst exit code of the instances that ran; pending and interrupted ones count as an instance error. */
    exitCode: exitCodeSchema,
    totals: z.object({ instances: z.number().int(), ok: z.number().int(), drifted: z.number().int(), failed: z.number().int(), interrupted: z.number().int(), pending: z.number().int() }).strict(),
    instances: z.array(fleetInstanceSchema),
  })
  .strict()
export type FleetReport = z.infer<typeof fleetReportSchema>

export function fleetTotals(instances: readonly Pick<FleetInstanceReport, 'status'>[]): FleetReport['totals'] {
  const count = (s: FleetInstanceStatus) => instances.filter((i) => i.status === s).length
  return { instances: instances.length, ok: count('ok'), drifted: count('drifted'), failed: count('failed'), interrupted: count('interrupted'), pending: count('pending') }
}
