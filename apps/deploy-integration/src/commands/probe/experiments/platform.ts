// Platform features read as an instance shows them, without writing: SAM Pro's table, the insertMultiple endpoint and
// IRE's de-duplication property.
import { INSERT_MULTIPLE_PLUGIN, INSTANCE_PROPERTIES, PLATFORM_TABLES, PROBE, SAM_PRO_PLUGIN } from '@kandji-sn/contract/constants'
import { query } from '@kandji-sn/servicenow-client'
import { checkAborted, recordsOf, send } from '../evidence.ts'
import { couldNotTell, observed } from '../outcome.ts'
import type { ProbeContext, SwitchProbe } from '../types.ts'

const NO_RESOURCE = 'Requested URI does not represent any resource'
const INVALID_TABLE = /^Invalid table/i

function pluginRow(ctx: ProbeContext, plugin: string) {
  return send(ctx.admin, {
    method: 'GET',
    path: `/api/now/v2/table/${PLATFORM_TABLES.plugins}`,
    query: { sysparm_query: query().eq('source', plugin).toString(), sysparm_fields: 'source,active', sysparm_limit: 1 },
  })
}

export const platformProbe: SwitchProbe = {
  id: 'platform-features',
  switches: ['samPro', 'insertMultiplePlugin', 'ireSkipDuplicates'],
  tables: [],
  async run(ctx) {
    // samPro: cmdb_sam_sw_install "is created when the Software Asset Management plugin is activated"
    // (ServiceNowDocs c_DiscoSWAssetMgmtTableSchema.md): the table answers, or it is an invalid table.
    const table = await send(ctx.admin, { method: 'GET', path: `/api/now/v2/table/${PLATFORM_TABLES.softwareInstall}`, query: { sysparm_fields: 'sys_id', sysparm_limit: 1 } })
    checkAborted(ctx.signal)
    const samPlugin = await pluginRow(ctx, SAM_PRO_PLUGIN)
    const samEvidence = [table.evidence, samPlugin.evidence]
    const samPro =
      table.answer.status === 200
        ? observed('samPro', 'active', samEvidence)
        : table.answer.status === 400 && INVALID_TABLE.test(table.answer.message ?? '')
          ? observed('samPro', 'inactive', samEvidence)
          : couldNotTell(`${PLATFORM_TABLES.softwareInstall} answered neither as a table nor as an invalid table`, samEvidence)
    checkAborted(ctx.signal)

    // insertMultiplePlugin: without the plugin the endpoint is no resource; with it, a table that does not exist is
    // an invalid table. The table does not exist, so nothing is written either way.
    const missingTable = `${PROBE.namePrefix}no_such_table`
    const bulk = await send(ctx.admin, { method: 'POST', path: `/api/now/import/${missingTable}/insertMultiple`, body: { records: [] } }, 'a table that does not exist: nothing is written')
    checkAborted(ctx.signal)
    const bulkPlugin = await pluginRow(ctx, INSERT_MULTIPLE_PLUGIN)
    const bulkEvidence = [bulk.evidence, bulkPlugin.evidence]
    const message = bulk.answer.message ?? ''
    const insertMultiplePlugin =
      bulk.answer.status === 400 && message === NO_RESOURCE
        ? observed('insertMultiplePlugin', 'absent', bulkEvidence)
        : bulk.answer.status === 400 && INVALID_TABLE.test(message)
          ? observed('insertMultiplePlugin', 'active', bulkEvidence)
          : couldNotTell('the insertMultiple endpoint answered neither "no resource" nor "invalid table" for a table that does not exist', bulkEvidence)
    checkAborted(ctx.signal)

    // ireSkipDuplicates: glide.identification_engine.skip_duplicates is "true by default" (ServiceNowDocs
    // id-detect-dup-ci.md), so an absent property is true.
    const property = await send(ctx.admin, {
      method: 'GET',
      path: `/api/now/v2/table/${PLATFORM_TABLES.property}`,
      query: { sysparm_query: query().eq('name', INSTANCE_PROPERTIES.ireSkipDuplicates).toString(), sysparm_fields: 'name,value', sysparm_limit: 1 },
    })
    const rows = recordsOf(property.answer)
    const value = typeof rows[0]?.value === 'string' ? rows[0].value.trim().toLowerCase() : undefined
    const ireEvidence = [{ ...property.evidence, answer: `${property.evidence.answer}${value !== undefined ? ` value ${JSON.stringify(value)}` : ''}` }]
    const ireSkipDuplicates =
      property.answer.status !== 200
        ? couldNotTell(`sys_properties could not be read (${property.answer.status})`, ireEvidence)
        : value === undefined || value === 'true'
          ? observed('ireSkipDuplicates', true, ireEvidence)
          : value === 'false'
            ? observed('ireSkipDuplicates', false, ireEvidence)
            : couldNotTell(`${INSTANCE_PROPERTIES.ireSkipDuplicates} holds neither true nor false`, ireEvidence)
    return { samPro, insertMultiplePlugin, ireSkipDuplicates }
  },
}
