import { z } from 'zod'

/**
 * An emulator profile: what `deploy-integration probe` observed on one real instance, per emulator switch, so
 * `sn-emulator --profile FILE` (and `startEmulator({ profile })`) behaves as that instance does.
 * The switch names and values are the emulator's (tools/instance-emulator/src/types.ts `EmulatorSwitches`; a
 * type test there keeps this list in step with it).
 */
export const PROFILE_FORMAT = 'kandji-sn-emulator-profile/1'

/** Every switch a probe can settle, with the values the emulator accepts for it. */
export const PROBED_SWITCHES = {
  unversionedTableApi: ['v1', 'v2'],
  ropcRefusedForWebServiceOnly: [true, false],
  addSncInternalOnFirstLogin: [true, false],
  defaultScopeRestriction: ['restricted', 'unrestricted', 'useraccount'],
  choiceInputDisplayValue: ['label-only', 'label-or-value'],
  listReadDenied: ['filter', 'forbidden'],
  uiSessionSecurity: ['user-token', 'legacy'],
  basicAuthRestriction: ['new-instance', 'upgraded'],
  samPro: ['inactive', 'active'],
  insertMultiplePlugin: ['active', 'absent'],
  insertMultipleTransform: ['asynchronous', 'synchronous'],
  ireSkipDuplicates: [true, false],
  propertyNameUnique: [true, false],
  importSetRequiresWsAccess: [true, false],
  enforceMandatoryOnTableApi: [true, false],
  runFixScriptsOnInstall: [true, false],
  choiceListLoader: ['replace', 'skip', 'additive'],
  upgradeKeepsCustomerChanges: [true, false],
  uploadExecutionTracker: ['answered', 'absent'],
  uninstallOutcome: ['deleted', 'partially-deleted', 'deactivated'],
  runtimeAccessTracking: ['enforcing', 'tracking', 'none'],
  crossScopeRefusal: ['throw', 'quiet'],
  globalTableAccess: ['read-only', 'open'],
} as const satisfies Record<string, readonly (string | boolean)[]>
export type ProbedSwitch = keyof typeof PROBED_SWITCHES
export type ProbedSwitchValue<S extends ProbedSwitch> = (typeof PROBED_SWITCHES)[S][number]
export const PROBED_SWITCH_NAMES = Object.keys(PROBED_SWITCHES) as ProbedSwitch[]

/** One request of the probe and the shape of its answer: never a secret, never a record's values beyond names. */
export const probeEvidenceSchema = z.object({
  /** e.g. `POST /oauth_token.do (grant_type=password, user kandji_probe_ws_user)`. */
  request: z.string().min(1),
  /** HTTP status, or null when no answer came. */
  status: z.number().int().nullable(),
  /** e.g. `200 {access_token, refresh_token, expires_in}` or `404 {error.message: "No Record found"}`. */
  answer: z.string(),
})
export type ProbeEvidence = z.infer<typeof probeEvidenceSchema>

const switchValue = z.union([z.string(), z.boolean()])
export const switchObservationSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('observed'), value: switchValue, evidence: z.array(probeEvidenceSchema).min(1) }),
  z.object({ outcome: z.literal('could-not-tell'), reason: z.string().min(1), evidence: z.array(probeEvidenceSchema) }),
])
export type SwitchObservation = z.infer<typeof switchObservationSchema>

/** A role name as sys_user_role.name spells it (base roles, `sn_cicd.sys_ci_automation`, scoped `x_…` roles). */
export const ROLE_NAME = /^[a-z0-9_][a-z0-9_.]{0,79}$/i

/**
 * What one role contains (sys_user_role_contains: the roles a user granted it inherits), as the probe read it.
 * `contains` is the set of directly contained role names, sorted, without repeats.
 */
export const roleObservationSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('observed'),
    contains: z
      .array(z.string().regex(ROLE_NAME, 'not a role name (letters, digits, _ and .)'))
      .refine((names) => names.every((n, i) => i === 0 || (names[i - 1] as string) < n), 'sorted, without repeats'),
    evidence: z.array(probeEvidenceSchema).min(1),
  }),
  z.object({ outcome: z.literal('could-not-tell'), reason: z.string().min(1), evidence: z.array(probeEvidenceSchema) }),
])
export type RoleObservation = z.infer<typeof roleObservationSchema>

export const emulatorProfileSchema = z
  .object({
    format: z.literal(PROFILE_FORMAT),
    probedAt: z.string().datetime(),
    tool: z.object({ name: z.string().min(1), version: z.string().min(1) }),
    /** From sys_properties glide.buildname / glide.buildtag / glide.war; the host is left out (profiles are shared). */
    instance: z.object({
      release: z.string().nullable(),
      buildName: z.string().nullable(),
      buildTag: z.string().nullable(),
      patch: z.string().nullable(),
    }),
    switches: z.record(z.string(), switchObservationSchema),
    /** Optional: role name -> what it contains on the instance (the service-account roles, SERVICE_ACCOUNT_ROLES). */
    roles: z.record(z.string(), roleObservationSchema).optional(),
  })
  .superRefine((profile, ctx) => {
    for (const name of Object.keys(profile.roles ?? {})) {
      if (!ROLE_NAME.test(name)) ctx.addIssue({ code: 'custom', path: ['roles', name], message: `"${name}" is not a role name (letters, digits, _ and .)` })
    }
    for (const [name, observation] of Object.entries(profile.switches)) {
      if (!Object.hasOwn(PROBED_SWITCHES, name)) {
        ctx.addIssue({ code: 'custom', path: ['switches', name], message: `unknown switch "${name}"; known: ${PROBED_SWITCH_NAMES.join(', ')}` })
        continue
      }
      if (observation.outcome !== 'observed') continue
      const allowed: readonly (string | boolean)[] = PROBED_SWITCHES[name as ProbedSwitch]
      if (!allowed.includes(observation.value)) {
        ctx.addIssue({ code: 'custom', path: ['switches', name, 'value'], message: `"${String(observation.value)}" is not a value of ${name}; allowed: ${allowed.map(String).join(', ')}` })
      }
    }
  })
export type EmulatorProfile = z.infer<typeof emulatorProfileSchema>
