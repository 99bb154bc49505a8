import { z } from 'zod'
import { APP_SOURCES, OAUTH_CLIENT, SERVICE_ACCOUNT } from '../constants.ts'
import { InstanceUrlError, parseInstanceUrl } from '../instance-url.ts'

/** An instance as typed by a person (`acme`, `acme.service-now.com`, `https://acme.service-now.com`), normalized. */
export const instanceSchema = z.string().transform((value, ctx) => {
  try {
    return parseInstanceUrl(value)
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof InstanceUrlError ? error.message : String(error) })
    return z.NEVER
  }
})

const userNameSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9._@-]+$/, 'use letters, digits, ".", "_", "-" or "@" only')

const oauthClientNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9 ._-]+$/, 'use letters, digits, spaces, ".", "_" or "-" only')

/** A value sent in a header as is (a token, an API key, a client id): no spaces, line breaks or a "Bearer " prefix. */
const headerValueSchema = z
  .string()
  .min(1)
  .regex(/^[^\s\x00-\x1f\x7f]+$/, 'must be the value itself: no spaces, line breaks or control characters (and no "Bearer " prefix)')

/** The admin sign-in methods (audit item 19): which fields each one takes. */
export const ADMIN_SIGN_IN_METHODS = ['basic', 'password', 'client_credentials', 'bearer', 'apikey'] as const
export type AdminSignInMethod = (typeof ADMIN_SIGN_IN_METHODS)[number]

/**
 * Admin credentials the CLI acts with, one sign-in method: a user and password (basic auth); an OAuth client with
 * the user and password (password grant) or without them (client-credentials grant, as the client's OAuth
 * application user); an access token (bearer); or a REST API key. `user` names the account a token, key or client
 * acts as, when given (then it is checked).
 */
export const adminAuthSchema = z
  .object({
    // Sent in encoded queries (the admin's own sys_user record), where "^" would start another condition.
    user: z.string().min(1).regex(/^[^\x00-\x1f\x7f^]+$/, 'must be a user name without "^", line breaks or control characters').optional(),
    password: z.string().min(1).optional(),
    clientId: headerValueSchema.optional(),
    clientSecret: z.string().min(1).optional(),
    token: headerValueSchema.optional(),
    apiKey: headerValueSchema.optional(),
  })
  .strict()
  .refine((a) => (a.clientId === undefined) === (a.clientSecret === undefined), {
    message: 'clientId and clientSecret go together: give both or neither',
  })
  .superRefine((a, ctx) => {
    const given = [a.token !== undefined && 'token', a.apiKey !== undefined && 'apiKey', (a.clientId !== undefined || a.clientSecret !== undefined) && 'clientId'].filter((m): m is string => m !== false)
    if (given.length > 1) {
      ctx.addIssue({ code: 'custom', message: `give one sign-in method, not ${given.join(' and ')} together` })
      return
    }
    if ((a.token !== undefined || a.apiKey !== undefined) && a.password !== undefined) {
      ctx.addIssue({ code: 'custom', message: `${a.token !== undefined ? 'token' : 'apiKey'} replaces the password: give one sign-in method, not both` })
      return
    }
    if (a.password !== undefined && a.user === undefined) ctx.addIssue({ code: 'custom', message: 'a password needs the user it belongs to (user)' })
    if (given.length === 0 && a.password === undefined) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'required with user (basic auth); or sign in with clientId and clientSecret, token, or apiKey' })
    }
  })
export type AdminAuth = z.output<typeof adminAuthSchema>

/** Which sign-in method validated admin credentials use. */
export function adminSignInMethod(a: AdminAuth): AdminSignInMethod {
  if (a.token !== undefined) return 'bearer'
  if (a.apiKey !== undefined) return 'apikey'
  if (a.clientId !== undefined) return a.password !== undefined ? 'password' : 'client_credentials'
  return 'basic'
}

/** What deploy sets up; every field has the vendor's default. */
export const integrationSettingsSchema = z
  .object({
    serviceAccount: z
      .object({
        userName: userNameSchema.default(SERVICE_ACCOUNT.defaultUserName),
        /** Use this password instead of generating one (rotate and re-deploy keep it in sync). */
        password: z.string().min(8).optional(),
        email: z.string().email().optional(),
      })
      .strict()
      .default({ userName: SERVICE_ACCOUNT.defaultUserName }),
    oauthClient: z
      .object({
        name: oauthClientNameSchema.default(OAUTH_CLIENT.defaultName),
        /** Use this secret instead of letting the instance generate one. */
        clientSecret: z.string().min(16).optional(),
      })
      .strict()
      .default({ name: OAUTH_CLIENT.defaultName }),
    appSource: z.enum(APP_SOURCES).default('package'),
    /** Path to the app package zip for `appSource: package`; default: the built one in the repository. */
    appPackage: z.string().min(1).optional(),
    /** App version to install for `appSource: repo`. */
    appVersion: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, 'use a version such as 1.2.3')
      .optional(),
  })
  .strict()

/** The deploy configuration file (JSON or YAML) for one instance. Flags and environment override it. */
export const deployConfigSchema = integrationSettingsSchema
  .extend({
    instance: instanceSchema,
    admin: adminAuthSchema.optional(),
  })
  .strict()
export type DeployConfigInput = z.input<typeof deployConfigSchema>
export type DeployConfig = z.output<typeof deployConfigSchema>

/** A fleet file: shared settings and a list of instances, each able to override them. */
export const fleetConfigSchema = z
  .object({
    defaults: integrationSettingsSchema.partial().default({}),
    /** How many instances to work on at once. */
    concurrency: z.number().int().min(1).max(32).default(4),
    instances: z
      .array(
        integrationSettingsSchema.partial().extend({
          instance: instanceSchema,
          admin: adminAuthSchema.optional(),
          /** Name of an environment variable prefix holding this instance's admin credentials, e.g. ACME → ACME_USER/ACME_PASSWORD. */
          adminEnvPrefix: z
            .string()
            .regex(/^[A-Z][A-Z0-9_]*$/, 'use upper-case letters, digits and "_"')
            .optional(),
        }).strict(),
      )
      .min(1, 'list at least one instance'),
  })
  .strict()
  .superRefine((fleet, ctx) => {
    const seen = new Map<string, number>()
    fleet.instances.forEach((entry, index) => {
      const previous = seen.get(entry.instance.url)
      if (previous !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['instances', index, 'instance'],
          message: `${entry.instance.url} is listed twice (also at instances[${previous}])`,
        })
      }
      seen.set(entry.instance.url, index)
    })
  })
export type FleetConfig = z.output<typeof fleetConfigSchema>

/** Renders zod issues as `field.path: message` lines that name the field, for config-file errors. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '')
    return `${path || '(root)'}: ${issue.message}`
  })
}
