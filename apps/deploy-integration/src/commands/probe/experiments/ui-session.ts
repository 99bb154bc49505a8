// uiSessionSecurity: the UI session now-sdk opens for an app upload (sdk-cli UISession.js): get_user answers 401 with
// x-usertoken-response (user token) or 200 without one (legacy security model, parseUserToken). Writes nothing.
import { isServiceNowError } from '@kandji-sn/servicenow-client'
import { couldNotTell, observed } from '../outcome.ts'
import type { SwitchProbe } from '../types.ts'

const REQUEST = 'POST /angular.do?sysparm_type=get_user (the UI session of the admin, as now-sdk install opens it)'

export const uiSessionProbe: SwitchProbe = {
  id: 'ui-session',
  switches: ['uiSessionSecurity'],
  tables: [],
  async run(ctx) {
    try {
      const model = await ctx.admin.app.uiSecurityModel()
      const evidence = model === 'legacy'
        ? { request: REQUEST, status: 200, answer: '200 without x-usertoken-response' }
        : { request: REQUEST, status: 401, answer: '401 with x-usertoken-response' }
      return { uiSessionSecurity: observed('uiSessionSecurity', model, [evidence]) }
    } catch (error) {
      if (!isServiceNowError(error) || error.kind !== 'auth') throw error
      return { uiSessionSecurity: couldNotTell(`the admin got no UI session: ${error.message}`, [{ request: REQUEST, status: error.status ?? null, answer: `${error.status ?? 'no answer'} refused` }]) }
    }
  },
}
