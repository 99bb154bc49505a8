// The probe writes (throw-away users, OAuth clients); it runs on a personal developer instance unless the user says
// otherwise. A PDI comes from the developer site (ServiceNowDocs application-development/get-dev-instance.md) and is
// named `dev<digits>` ([U] observed, not documented): its host is dev12345.service-now.com and its `instance_name`
// system property is dev12345. Either marks it; a custom URL or a proxy in front keeps the property.
import { INSTANCE_DOMAIN, INSTANCE_PROPERTIES, PLATFORM_TABLES, PROBE } from '@kandji-sn/contract/constants'
import { query, type ServiceNowClient } from '@kandji-sn/servicenow-client'
import { usageError } from '../../errors.ts'

const PDI_NAME = new RegExp(PROBE.pdiNamePattern)

export interface PdiVerdict {
  pdi: boolean
  /** What the instance showed, for the refusal's text. */
  seen: string
}

export function isPdiHost(instanceUrl: string): boolean {
  const host = new URL(instanceUrl).hostname.toLowerCase()
  const [label, ...rest] = host.split('.')
  return label !== undefined && PDI_NAME.test(label) && rest.join('.') === INSTANCE_DOMAIN
}

export async function developerInstance(admin: ServiceNowClient, instanceUrl: string): Promise<PdiVerdict> {
  if (isPdiHost(instanceUrl)) return { pdi: true, seen: `the host is ${new URL(instanceUrl).hostname}` }
  const rows = await admin.table.list(PLATFORM_TABLES.property, { query: query().eq('name', INSTANCE_PROPERTIES.instanceName).toString(), fields: ['name', 'value'], limit: 1 })
  const name = rows[0]?.name === INSTANCE_PROPERTIES.instanceName ? rows[0].value : undefined
  if (name !== undefined && PDI_NAME.test(name.trim())) return { pdi: true, seen: `${INSTANCE_PROPERTIES.instanceName} is ${name.trim()}` }
  return {
    pdi: false,
    seen: `its host is not dev<digits>.${INSTANCE_DOMAIN} and its ${INSTANCE_PROPERTIES.instanceName} property is ${name === undefined ? 'not there' : JSON.stringify(name)}`,
  }
}

export function notADeveloperInstance(instanceUrl: string, verdict: PdiVerdict) {
  return usageError(
    `${instanceUrl} does not look like a personal developer instance: ${verdict.seen}`,
    `the probe creates and deletes throw-away users and OAuth clients (${PROBE.namePrefix}*), which must not happen on an instance people work on`,
    `run it against your personal developer instance (developer.servicenow.com), or pass ${PROBE.confirmFlag} if this instance is yours to experiment on`,
  )
}
