// unversionedTableApi: which Table API version /api/now/table behaves like. v1 answers a query that matches nothing
// with 404 "No Record found", v2 with 200 and an empty list (ServiceNowDocs Table API, "Versioning"; emulator README
// "Error bodies"). Reads only.
import { PLATFORM_TABLES, PROBE } from '@kandji-sn/contract/constants'
import { query } from '@kandji-sn/servicenow-client'
import { recordsOf, send } from '../evidence.ts'
import { couldNotTell, observed } from '../outcome.ts'
import type { SwitchProbe } from '../types.ts'

export const tableApiProbe: SwitchProbe = {
  id: 'table-api-version',
  switches: ['unversionedTableApi'],
  tables: [],
  async run(ctx) {
    const params = { sysparm_query: query().eq('user_name', `${PROBE.namePrefix}no_such_user`).toString(), sysparm_fields: 'sys_id', sysparm_limit: 1 }
    const table = PLATFORM_TABLES.user
    const plain = await send(ctx.admin, { method: 'GET', path: `/api/now/table/${table}`, query: params })
    const v1 = await send(ctx.admin, { method: 'GET', path: `/api/now/v1/table/${table}`, query: params })
    const v2 = await send(ctx.admin, { method: 'GET', path: `/api/now/v2/table/${table}`, query: params })
    const evidence = [plain.evidence, v1.evidence, v2.evidence]
    const empty200 = (a: typeof plain) => a.answer.status === 200 && recordsOf(a.answer).length === 0
    const missing404 = (a: typeof plain) => a.answer.status === 404
    if (!missing404(v1) || !empty200(v2)) {
      return { unversionedTableApi: couldNotTell('v1 and v2 did not answer an empty result as documented (v1 404, v2 200 with no records), so the unversioned answer cannot be compared', evidence) }
    }
    if (missing404(plain)) return { unversionedTableApi: observed('unversionedTableApi', 'v1', evidence) }
    if (empty200(plain)) return { unversionedTableApi: observed('unversionedTableApi', 'v2', evidence) }
    return { unversionedTableApi: couldNotTell('the unversioned path answered neither like v1 nor like v2', evidence) }
  },
}
