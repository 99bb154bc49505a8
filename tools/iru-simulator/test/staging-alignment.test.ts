// Keeps src/staging-row.ts aligned with the app's staging tables (apps/servicenow-app, written by another
// engineer). It reads the Fluent source as text: importing it needs the SDK's build-time globals (Now.ID).
// A missing tables file, table or column fails the test (the simulator would send rows the app cannot take).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { TABLES } from '@kandji-sn/contract/constants'
import { APP_STAGING_COLUMNS, DEVICE_STAGING_COLUMNS, type StagingColumn } from '../src/staging-row.ts'

const TABLES_FILE = fileURLToPath(new URL('../../../apps/servicenow-app/src/fluent/tables.now.ts', import.meta.url))

/** Column name -> label of the Table whose `name:` is the given contract key (e.g. TABLES.deviceImport). */
function fluentColumns(source: string, tableKey: keyof typeof TABLES): Map<string, string> {
  const start = source.search(new RegExp(`name:\\s*(TABLES\\.${tableKey}|'${TABLES[tableKey]}')`))
  expect(start, `no Table with name TABLES.${tableKey} in ${TABLES_FILE}`).toBeGreaterThanOrEqual(0)
  const rest = source.slice(start)
  const end = rest.search(/\n\}\)/)
  const block = end >= 0 ? rest.slice(0, end) : rest
  const columns = new Map<string, string>()
  for (const m of block.matchAll(/^\s*([a-z][a-z0-9_]*):\s*\w+Column\(\{\s*label:\s*'([^']*)'/gm)) columns.set(m[1]!, m[2]!)
  expect(columns.size, `no columns parsed for TABLES.${tableKey}`).toBeGreaterThan(0)
  return columns
}

function misaligned(ours: ReadonlyArray<StagingColumn<never>>, theirs: Map<string, string>): string[] {
  const problems: string[] = []
  for (const column of ours) {
    const label = theirs.get(column.name)
    if (label === undefined) problems.push(`${column.name}: not a column of the app's table`)
    else if (label !== column.label) problems.push(`${column.name}: label "${column.label}" but the app says "${label}"`)
  }
  return problems
}

describe("staging rows match the app's staging tables", () => {
  const source = readFileSync(TABLES_FILE, 'utf8')

  it('every device column the simulator sends exists in the device import table, with the same label', () => {
    expect(misaligned(DEVICE_STAGING_COLUMNS as ReadonlyArray<StagingColumn<never>>, fluentColumns(source, 'deviceImport'))).toEqual([])
  })

  it('every app column the simulator sends exists in the app import table, with the same label', () => {
    expect(misaligned(APP_STAGING_COLUMNS as ReadonlyArray<StagingColumn<never>>, fluentColumns(source, 'appImport'))).toEqual([])
  })

  it('the simulator fills the device identity and state columns the transform relies on', () => {
    const sent = new Set(DEVICE_STAGING_COLUMNS.map((c) => c.name))
    const unsent = [...fluentColumns(source, 'deviceImport').keys()].filter((c) => !sent.has(c))
    // Columns with no realistic synthetic data; anything else the app adds should be generated too.
    expect(unsent.filter((c) => !['os_build', 'supplemental_build_version', 'supplemental_os_version_extra'].includes(c))).toEqual([])
  })
})
