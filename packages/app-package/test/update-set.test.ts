import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { APP } from '@kandji-sn/contract/constants'
import { AppPackageError, readAppPackageFromFiles, toUpdateSetXml } from '../src/index.ts'
import { APP_FILE, FIX_SCRIPT_FILE, TOMBSTONE_FILE, editedFiles, fixtureFiles, replaceIn } from './fixture.ts'

const DATE = '2025-03-04 05:06:07'
const pkg = () => readAppPackageFromFiles(fixtureFiles())

interface Row { [field: string]: unknown }
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === 'sys_update_xml',
})
function parseUnload(xml: string): { date: string; set: Row; updates: Row[] } {
  const doc = parser.parse(xml) as { unload: { '@unload_date': string; sys_remote_update_set: Row; sys_update_xml: Row[] } }
  return { date: doc.unload['@unload_date'], set: doc.unload.sys_remote_update_set, updates: doc.unload.sys_update_xml }
}
const text = (v: unknown): string => (typeof v === 'object' && v !== null ? String((v as Row)['#text'] ?? '') : String(v ?? ''))

describe('toUpdateSetXml', () => {
  it('writes an unload with one sys_remote_update_set for the app', () => {
    const { date, set } = parseUnload(toUpdateSetXml(pkg(), { date: DATE }))
    expect(date).toBe(DATE)
    expect(set['@action']).toBe('INSERT_OR_UPDATE')
    expect(text(set['application'])).toBe(APP.scopeId)
    expect(set['application_scope']).toBe(APP.scope)
    expect(set['state']).toBe('loaded')
    expect(set['name']).toBe(`${APP.name} 0.0.1`)
    expect(set['sys_created_on']).toBe(DATE)
    expect(set['sys_id']).toMatch(/^[0-9a-f]{32}$/)
  })

  it('has one sys_update_xml per record, the app first, each pointing at the set and the app', () => {
    const p = pkg()
    const { set, updates } = parseUnload(toUpdateSetXml(p, { date: DATE }))
    expect(updates).toHaveLength(p.records.length)
    expect(updates[0]!['name']).toBe(`sys_app_${APP.scopeId}`)
    for (const u of updates) {
      expect(u['@action']).toBe('INSERT_OR_UPDATE')
      expect(text(u['application'])).toBe(APP.scopeId)
      expect(text(u['remote_update_set'])).toBe(set['sys_id'])
      expect(u['sys_id']).toMatch(/^[0-9a-f]{32}$/)
      expect(u['type']).not.toBe('')
    }
    expect(new Set(updates.map((u) => u['sys_id'])).size).toBe(updates.length)
  })

  it('names each update after sys_update_name, or table_sysid when the record has none', () => {
    const { updates } = parseUnload(toUpdateSetXml(pkg(), { date: DATE }))
    const names = updates.map((u) => u['name'])
    expect(names).toContain('sys_scope_privilege_d63a91b9907740c7b54837174a6fadb2')
    expect(names).toContain('sys_script_fix_e06e526a8bf3423bb079100f2a068b01')
    expect(names).toContain('sys_atf_step_bd94be0a8abe4b269d411bdfc313075b') // ATF steps carry no sys_update_name
    const fix = updates.find((u) => u['name'] === 'sys_script_fix_e06e526a8bf3423bb079100f2a068b01')!
    expect(fix['type']).toBe('Fix Script')
    expect(fix['target_name']).toBe('kandji_fix_script')
  })

  it('carries each file byte for byte in the payload, CDATA sections and "]]>" included', () => {
    const p = pkg()
    const xml = toUpdateSetXml(p, { date: DATE })
    expect(xml).not.toContain('<![CDATA[')
    const { updates } = parseUnload(xml)
    const files = fixtureFiles()
    for (const record of p.records) {
      const name = record.fields['sys_update_name'] || `${record.table}_${record.sysId}`
      const update = updates.find((u) => u['name'] === name)!
      expect(update['payload']).toBe(files.get(record.path)!.trim())
    }
  })

  it('exports DELETE tombstones as DELETE updates', () => {
    const { updates } = parseUnload(toUpdateSetXml(pkg(), { date: DATE }))
    const tombstone = updates.find((u) => String(u['payload']).includes('action="DELETE"'))!
    expect(tombstone['action']).toBe('DELETE')
    expect(tombstone['name']).toBe('sys_atf_step_6e8015b76ee04c629bb5939f902e932e')
    expect(pkg().records.some((r) => r.path === TOMBSTONE_FILE)).toBe(true)
  })

  it('is byte-identical for the same package and date', () => {
    expect(toUpdateSetXml(pkg(), { date: DATE })).toBe(toUpdateSetXml(pkg(), { date: DATE }))
  })

  it('changes its ids when the content changes, so an older import is not overwritten', () => {
    const edited = readAppPackageFromFiles(editedFiles((f) => replaceIn(f, FIX_SCRIPT_FILE, 'Kandji repair', 'Kandji repair v2')))
    const a = parseUnload(toUpdateSetXml(pkg(), { date: DATE })).set['sys_id']
    const b = parseUnload(toUpdateSetXml(edited, { date: DATE })).set['sys_id']
    expect(a).not.toBe(b)
  })

  it('escapes the name and description it is given', () => {
    const xml = toUpdateSetXml(pkg(), { date: DATE, name: 'Kandji <1.0> & "co"', description: 'a]]>b' })
    const { set, updates } = parseUnload(xml)
    expect(set['name']).toBe('Kandji <1.0> & "co"')
    expect(set['description']).toBe('a]]>b')
    expect((updates[0]!['remote_update_set'] as Row)['@display_value']).toBe('Kandji <1.0> & "co"')
    expect(xml).toContain('display_value="Kandji &lt;1.0&gt; &amp; &quot;co&quot;"')
  })

  it('accepts an ISO date and writes it as a UTC date-time', () => {
    expect(parseUnload(toUpdateSetXml(pkg(), { date: '2025-03-04T05:06:07.000Z' })).date).toBe(DATE)
  })

  for (const bad of ['yesterday', '2025-13-45 99:99:99', '', '04/03/2025']) {
    it(`refuses the date ${JSON.stringify(bad)}`, () => {
      expect(() => toUpdateSetXml(pkg(), { date: bad })).toThrow(AppPackageError)
      expect(() => toUpdateSetXml(pkg(), { date: bad })).toThrow(/is not a date/)
    })
  }

  it('defaults the date to now in the instance format', () => {
    expect(parseUnload(toUpdateSetXml(pkg())).date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
  })

  it('does not export the dictionary bootstrap files (sys_db_object and sys_dictionary carry the tables)', () => {
    const { updates } = parseUnload(toUpdateSetXml(pkg(), { date: DATE }))
    expect(updates.some((u) => String(u['payload']).includes('<database>'))).toBe(false)
    expect(updates.filter((u) => u['type'] === 'Table')).toHaveLength(2)
    expect(updates.some((u) => u['name'] === `sys_app_${APP.scopeId}` && String(u['payload']) === fixtureFiles().get(APP_FILE)!.trim())).toBe(true)
  })
})
