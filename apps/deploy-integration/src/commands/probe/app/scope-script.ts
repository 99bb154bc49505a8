// The operation script of the probe app's cross-scope experiment (package.ts SCOPE_PROBE). It runs in the probe
// app's scope and answers, for each operation on a global table, whether the platform threw, and what it returned:
// a refused operation either throws or returns nothing (KB1641480; switch crossScopeRefusal of the emulator).

export interface ScopeScriptTargets {
  /** Read without a privilege: the caller's own record, so a refusal is the only reason to find nothing. */
  readTable: string
  /** Create with a shipped, allowed privilege: only the table's application access decides. */
  choice: { table: string; name: string; element: string; value: string }
}

const js = (value: string) => JSON.stringify(value)

export function scopeProbeScript(t: ScopeScriptTargets): string {
  return `(function (request, response) {
  var answer = { read: { thrown: false, found: false }, create: { thrown: false, sysId: null } };
  var said = function (e) { return String((e && e.message) || e).slice(0, 300); };
  try {
    var user = new GlideRecord(${js(t.readTable)});
    answer.read.found = user.get(gs.getUserID()) === true;
  } catch (e) {
    answer.read.thrown = true;
    answer.read.message = said(e);
  }
  try {
    var choice = new GlideRecord(${js(t.choice.table)});
    choice.initialize();
    choice.setValue('name', ${js(t.choice.name)});
    choice.setValue('element', ${js(t.choice.element)});
    choice.setValue('value', ${js(t.choice.value)});
    choice.setValue('label', ${js(t.choice.value)});
    choice.setValue('language', 'en');
    var id = choice.insert();
    answer.create.sysId = id ? String(id) : null;
  } catch (e) {
    answer.create.thrown = true;
    answer.create.message = said(e);
  }
  response.setStatus(200);
  response.setBody(answer);
})(request, response);
`
}
