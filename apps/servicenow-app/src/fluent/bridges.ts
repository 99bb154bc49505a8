// String scripts for the places Fluent accepts only strings (Script Include, fix script, transform scripts).
// Each is a thin bridge that require()s a server module by its sys_module path, as the SDK's own glue code
// does (fluent-sdk-findings c: "Use the generated path in bridges"). MODULE_ROOT carries the package name and
// version, so a version bump rewrites these strings together with the modules.
import { APP, DEVICES_SCRIPT_INCLUDE, SETUP_SCRIPT_INCLUDE, FIX_SCRIPT_NAME } from '@kandji-sn/contract/constants'
import { MODULE_ROOT } from '../server/generated/contract.ts'

// Plain constants and template literals only: the SDK evaluates these statically and writes
// "Symbol(Now.UNRESOLVED)" for anything it cannot follow, such as a function call (scripts/build.ts fails on it).
export const setupModule = `${MODULE_ROOT}/src/server/entry/setup.ts`
export const importModule = `${MODULE_ROOT}/src/server/entry/import.ts`
export const devicesModule = `${MODULE_ROOT}/src/server/entry/devices.ts`

export const setupScriptInclude = `var ${SETUP_SCRIPT_INCLUDE} = Class.create();

/**
 * Inserts or reactivates the discovery-source choice only when it is missing or inactive.
 * Returns { changed: boolean, actions: [{ target, action, detail }] }.
 */
${SETUP_SCRIPT_INCLUDE}.ensureDiscoverySource = function () {
    return require('${setupModule}').ensureDiscoverySource();
};

${SETUP_SCRIPT_INCLUDE}.prototype = {
    type: '${SETUP_SCRIPT_INCLUDE}'
};
`

export const fixScript = `(function () {
    const result = ${APP.scope}.${SETUP_SCRIPT_INCLUDE}.ensureDiscoverySource();
    let failed = false;
    for (const a of result.actions) {
        const line = \`${FIX_SCRIPT_NAME}: \${a.target}: \${a.action}: \${a.detail}\`;
        if (a.action === 'failed') { failed = true; gs.error(line); } else { gs.info(line); }
    }
    const outcome = failed ? 'finished with failures' : (result.changed ? 'changed the instance' : 'nothing to change');
    gs.info(\`${FIX_SCRIPT_NAME}: \${outcome}\`);
})();
`

// onBefore bridges: the module decides, the script sets the transform globals a module cannot assign.
// Both maps apply the module's RowOutcome the same way (src/server/import/row-outcome.ts): a rejected row is
// ignored with its reason, never error = true, which may halt the whole import set.
const applyRowOutcome = `    if (outcome.state !== 'continue') ignore = true;
    status_message = outcome.message;
})(source, map, log, target);
`

export const deviceOnBefore = `(function runTransformScript(source, map, log, target) {
    const outcome = require('${importModule}').onBeforeDeviceRow(source, target, log);
${applyRowOutcome}`

export const appOnBefore = `(function runTransformScript(source, map, log, target) {
    const outcome = require('${importModule}').onBeforeAppRow(source, target, log);
${applyRowOutcome}`

export const devicesScriptInclude = `var ${DEVICES_SCRIPT_INCLUDE} = Class.create();

/**
 * Retires the Kandji devices Iru Endpoint has not pushed for x_kandj_kandji.retirement.stale_days days.
 * dryRun (optional): true lists them and changes nothing; omitted: the x_kandj_kandji.retirement.dry_run property.
 * Returns { enabled, dryRun, days, cutoff, retired: [...], leftAlone: [...], error? }.
 */
${DEVICES_SCRIPT_INCLUDE}.retireStale = function (dryRun) {
    return require('${devicesModule}').retireStale(dryRun);
};

${DEVICES_SCRIPT_INCLUDE}.prototype = {
    type: '${DEVICES_SCRIPT_INCLUDE}'
};
`

/** The retirement job's script: one line, so a test, a REST call or the job runner can run the same thing. */
export const retirementJobScript = `${APP.scope}.${DEVICES_SCRIPT_INCLUDE}.retireStale();`

export const healthModule = `${MODULE_ROOT}/src/server/entry/health.ts`

export const healthJobScript = `(function () {
    require('${healthModule}').runHealth();
})();
`
