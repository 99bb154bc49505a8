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

/** Admin credentials the CLI acts with: a user and password, optionally through an OAuth client (password grant). */
export const adminAuthSchema = z
  .object({
    user: z.string().min(1),
    password: z.string().min(1),
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
  })
  .strict()
  .refine((a) => (a.clientId === undefined) === (a.clientSecret === undefined), {
    message: 'clientId and clientSecret go together: give both or neither',
  })

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
