// Modules, Script Includes, scripted REST operations and fix scripts, from records inserted into the store.
import { beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.ts'
import type { SessionUser } from '../types.ts'
import { createGlideRuntime } from './index.ts'
import { SYSLOG_TABLE } from './syslog.ts'
import { addModule, adminOf, evaluate, makeUser, SCOPE_ID, testDatabase } from './test-support.ts'

const ROOT = 'x_test_app/test-app/1.0.0/src/server'
let db: Database
let admin: SessionUser

beforeEach(() => {
  db = testDatabase()
  admin = adminOf(db)
})

describe('modules from sys_module records', () => {
  beforeEach(() => {
    addModule(db, `${ROOT}/util/names.ts`, `export const PREFIX = 'ci:';\nexport function label(name) { return PREFIX + name; }\n`)
    addModule(
      db,
      `${ROOT}/api.ts`,
      `import { GlideRecord, gs } from '@servicenow/glide';\nimport { label } from './util/names.ts';\nexport let loads = 0;\nloads++;\nexport function names() {\n  const gr = new GlideRecord('cmdb_ci_computer');\n  gr.orderBy('name');\n  gr.query();\n  const out = [];\n  while (gr.next()) out.push(label(gr.getValue('name')));\n  gs.info('listed ' + out.length);\n  return out;\n}\n`,
    )
    db.insert('cmdb_ci_computer', { name: 'alpha', serial_number: 'S1' })
  })

  it('runs ES module code required by its sys_module path, with relative and @servicenow/glide imports', () => {
    expect(evaluate(db, admin, `return require('${ROOT}/api.ts').names();`)).toEqual(['ci:alpha'])
    expect(db.query(SYSLOG_TABLE, 'message=listed 1')).toHaveLength(1)
  })

  it('loads a module once per execution', () => {
    expect(evaluate(db, admin, `require('${ROOT}/api.ts'); require('${ROOT}/api.ts'); return require('${ROOT}/api.ts').loads;`)).toBe(1)
  })

  it('says which module is missing and why, for a path no sys_module has', () => {
    expect(() => evaluate(db, admin, `require('${ROOT}/nope.ts');`)).toThrow(/Cannot find module '.*nope\.ts': no installed sys_module has that path/)
    expect(() => evaluate(db, admin, `require('./relative.ts');`)).toThrow(/relative paths need a module/)
  })

  it('a glide name the emulator does not provide fails when used, naming it', () => {
    addModule(db, `${ROOT}/mail.ts`, `import { GlideEmailOutbound } from '@servicenow/glide';\nexport function send() { return new GlideEmailOutbound(); }\n`)
    expect(() => evaluate(db, admin, `require('${ROOT}/mail.ts').send();`)).toThrow('@servicenow/glide.GlideEmailOutbound is not emulated')
  })

  it('reports a module whose content does not compile', () => {
    addModule(db, `${ROOT}/broken.ts`, `export function (`)
    expect(() => evaluate(db, admin, `require('${ROOT}/broken.ts');`)).toThrow(/sys_module .*broken\.ts does not compile/)
  })
})

describe('Script Includes', () => {
  beforeEach(() => {
    db.insert('sys_script_include', {
      name: 'Greeter',
      api_name: 'x_test_app.Greeter',
      access: 'package_private',
      active: 'true',
      sys_scope: SCOPE_ID,
      script: `var Greeter = Class.create();\nGreeter.prototype = {\n  initialize: function (name) { this.name = name; },\n  greet: function () { return 'hello ' + this.name; },\n  type: 'Greeter'\n};`,
    })
  })

  it('are reachable as <scope>.Name and by bare name inside the scope (Class.create style)', () => {
    expect(evaluate(db, admin, `return [new x_test_app.Greeter('a').greet(), new Greeter('b').greet()];`)).toEqual(['hello a', 'hello b'])
  })

  it('a package_private include is refused to another scope', () => {
    expect(() => evaluate(db, admin, `return new x_test_app.Greeter('a').greet();`, 'global')).toThrow(/Illegal access to private script include x_test_app.Greeter/)
  })

  it('inactive includes are not visible', () => {
    const row = db.query('sys_script_include', 'name=Greeter')[0]
    db.update('sys_script_include', row?.sys_id as string, { active: 'false' })
    expect(() => evaluate(db, admin, `return new Greeter('a');`)).toThrow(/Greeter is not defined/)
  })
})

describe('scripted REST operations', () => {
  function operation(script: string) {
    return db.insert('sys_ws_operation', { name: 'echo', http_method: 'POST', relative_path: '/echo', operation_script: script, sys_scope: SCOPE_ID })
  }
  const request = { method: 'POST', path: '/api/x_test_app/t/echo/7', pathParams: { id: '7' }, query: { a: '1', b: ['2', '3'] }, body: { hello: 'world' }, headers: { 'X-Thing': 'yes' } }

  it('hands the script RESTAPIRequest/RESTAPIResponse and wraps the body in result', async () => {
    addModule(
      db,
      `${ROOT}/rest.ts`,
      `export function echo(request, response) {\n  response.setStatus(202);\n  response.setHeader('X-Echo', 'on');\n  response.setBody({ body: request.body.data, a: request.queryParams.a, b: request.queryParams.b, id: request.pathParams.id, header: request.getHeader('x-thing'), user: require('@servicenow/glide').gs.getUserName() });\n}\n`,
    )
    const op = operation(`// @fluent-module echo;false;${ROOT}/rest.ts\nconst { echo } = require('${ROOT}/rest.ts');\necho(request, response);`)
    const viewer = makeUser(db, 'viewer', [])
    const reply = await createGlideRuntime().scriptedRest({ operation: op, user: viewer, db, ...request })
    expect(reply.status).toBe(202)
    expect(reply.headers?.['X-Echo']).toBe('on')
    expect(reply.body).toEqual({ result: { body: { hello: 'world' }, a: ['1'], b: ['2', '3'], id: '7', header: 'yes', user: 'viewer' } })
  })

  it('answers 500 with the error envelope and logs when the script throws', async () => {
    const op = operation(`throw new Error('boom');`)
    const reply = await createGlideRuntime().scriptedRest({ operation: op, user: admin, db, ...request })
    expect(reply.status).toBe(500)
    expect(reply.body).toMatchObject({ error: { message: 'boom' }, status: 'failure' })
    expect(db.query(SYSLOG_TABLE, 'messageLIKEboom')).toHaveLength(1)
  })

  it('refuses a status that is not an HTTP status (500 with the reason)', async () => {
    const op = operation(`response.setStatus('teapot');`)
    const reply = await createGlideRuntime().scriptedRest({ operation: op, user: admin, db, ...request })
    expect(reply.status).toBe(500)
    expect(reply.body).toMatchObject({ error: { message: 'RESTAPIResponse.setStatus: teapot is not an HTTP status' } })
  })

  it('a request without a body gives body.data undefined and an empty dataString', async () => {
    const op = operation(`response.setBody({ data: request.body.data === undefined, text: request.body.dataString });`)
    const reply = await createGlideRuntime().scriptedRest({ operation: op, user: admin, db, ...request, body: undefined })
    expect(reply.body).toEqual({ result: { data: true, text: '' } })
  })

  it('stops a script that never ends and answers 500', async () => {
    const op = operation(`while (true) {}`)
    const reply = await createGlideRuntime({ scriptTimeoutMs: 200 }).scriptedRest({ operation: op, user: admin, db, ...request })
    expect(reply.status).toBe(500)
    expect(reply.body).toMatchObject({ error: { message: expect.stringMatching(/timed out/) } })
  })
})

describe('fix scripts', () => {
  beforeEach(() => {
    db.insert('sys_script_fix', { name: 'seed_fix', sys_scope: SCOPE_ID, script: `gs.setProperty('x_test_app.seeded', 'yes'); gs.info('seeded by ' + gs.getUserName());` })
    db.insert('sys_script_fix', { name: 'broken_fix', sys_scope: SCOPE_ID, script: `undefinedFunction();` })
  })

  it('run on demand by name, as admin, with what they logged', () => {
    const run = createGlideRuntime().runFixScript(db, 'seed_fix')
    expect(run).toMatchObject({ name: 'seed_fix', scope: 'x_test_app', ok: true, log: [{ level: 'info', message: 'seeded by admin' }] })
    expect(db.query('sys_properties', 'name=x_test_app.seeded')[0]?.value).toBe('yes')
  })

  it('run after an install of their scope; a failing one is reported and logged, the others still run', async () => {
    const runtime = createGlideRuntime()
    await runtime.afterInstall({ scope: 'x_test_app', user: admin, db })
    const runs = runtime.lastInstallRuns.get('x_test_app') ?? []
    expect(runs.map((r) => [r.name, r.ok])).toEqual([['broken_fix', false], ['seed_fix', true]])
    expect(runs[0]?.error).toMatch(/undefinedFunction is not defined/)
    expect(db.query(SYSLOG_TABLE, 'messageLIKEFix script broken_fix failed')).toHaveLength(1)
  })

  it('refuses an unknown or ambiguous name', () => {
    const runtime = createGlideRuntime()
    expect(() => runtime.runFixScript(db, 'nope')).toThrow(/No fix script named "nope" is installed/)
    db.insert('sys_script_fix', { name: 'seed_fix', sys_scope: SCOPE_ID, script: '' })
    expect(() => runtime.runFixScript(db, 'seed_fix')).toThrow(/More than one fix script is named "seed_fix"/)
  })
})
