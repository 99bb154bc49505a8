// formatTable with a width: exact lines at 160, 80 and 40 columns, no line over the width, nothing lost, the layout
// for a terminal narrower than the fixed columns; without a width today's unbounded lines.
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { VerificationReport } from '@kandji-sn/contract'
import { Output } from './output.ts'
import { formatTable, hangingLines, MIN_TABLE_WIDTH, wrapText } from './table.ts'
import { renderVerification } from './verification.ts'
import { renderDrift } from './drift.ts'

const HEADER = ['STATUS', 'CHECK', 'DETAIL', 'FIX']
const ROWS = [
  ['FAIL', 'oauth_scope_restriction', 'kandji_oauth_api is restricted, so the Import Set API refuses its tokens.', 'Set Scope Restriction on kandji_oauth_api to Broadly scoped (deploy-integration deploy does this).'],
  ['PASS', 'fix_script', 'The fix script kandji_fix_script is present.', ''],
]
const table = (width: number | undefined) => formatTable(HEADER, ROWS, { width, wrap: [2, 3] })
const squeeze = (text: string) => text.replace(/\s+/g, '')

/**
 * The cells back from rendered lines: in the table layout by the columns of the dashes line (a row starts where the
 * first column is not blank), in the block layout by the `HEADER: ` lines. A cell's lines are joined with a space.
 */
function cellsOf(lines: readonly string[]): string[][] {
  if (lines[0]!.startsWith(`${HEADER[0]}: `)) {
    const rows: string[][] = []
    let row: string[] = []
    for (const line of lines) {
      if (line === '') continue
      const i = HEADER.findIndex((h) => line === `${h}:` || line.startsWith(`${h}: `))
      if (i === 0) rows.push((row = []))
      if (i >= 0) row[i] = line.slice(HEADER[i]!.length + 1).trim()
      else row[row.length - 1] += ` ${line.trim()}`
    }
    return rows
  }
  const starts = [...lines[1]!.matchAll(/-+/g)].map((m) => m.index)
  const rows: string[][] = []
  for (const line of lines.slice(2)) {
    const parts = starts.map((start, i) => line.slice(start, starts[i + 1] ?? line.length).trim())
    if (parts[0] !== '') rows.push(parts)
    else parts.forEach((p, i) => { if (p !== '') rows[rows.length - 1]![i] += ` ${p}` })
  }
  return rows
}

describe('formatTable without a width (not a terminal)', () => {
  it('is what it was: every line as long as its content', () => {
    const lines = table(undefined)
    expect(lines).toStrictEqual([
      `STATUS  CHECK                    DETAIL${' '.repeat(67)}  FIX`,
      `------  -----------------------  ${'-'.repeat(73)}  ${'-'.repeat(98)}`,
      `FAIL    oauth_scope_restriction  ${ROWS[0]![2]}  ${ROWS[0]![3]}`,
      `PASS    fix_script               ${ROWS[1]![2]!.padEnd(73)}`.trimEnd(),
    ])
    expect(formatTable(['A', 'LONG'], [['xyz', '1']])).toStrictEqual(['A    LONG', '---  ----', 'xyz  1'])
  })

  it('a width the table fits in changes nothing', () => {
    expect(table(206)).toStrictEqual(table(undefined))
    expect(table(500)).toStrictEqual(table(undefined))
  })
})

describe('formatTable with a width', () => {
  it('160 columns: DETAIL and FIX wrap at spaces, continuation lines in their column', () => {
    expect(table(160)).toStrictEqual([
      `STATUS  CHECK                    DETAIL${' '.repeat(56)}  FIX`,
      `------  -----------------------  ${'-'.repeat(62)}  ${'-'.repeat(63)}`,
      'FAIL    oauth_scope_restriction  kandji_oauth_api is restricted, so the Import Set API refuses   Set Scope Restriction on kandji_oauth_api to Broadly scoped',
      `${' '.repeat(33)}its tokens.${' '.repeat(53)}(deploy-integration deploy does this).`,
      'PASS    fix_script               The fix script kandji_fix_script is present.',
    ])
  })

  it('80 columns', () => {
    expect(table(80)).toStrictEqual([
      'STATUS  CHECK                    DETAIL                  FIX',
      '------  -----------------------  ----------------------  -----------------------',
      'FAIL    oauth_scope_restriction  kandji_oauth_api is     Set Scope Restriction',
      '                                 restricted, so the      on kandji_oauth_api to',
      '                                 Import Set API refuses  Broadly scoped',
      '                                 its tokens.             (deploy-integration',
      '                                                         deploy does this).',
      'PASS    fix_script               The fix script',
      '                                 kandji_fix_script is',
      '                                 present.',
    ])
  })

  it('40 columns, narrower than the fixed columns and a readable DETAIL and FIX: one block per row', () => {
    expect(table(40)).toStrictEqual([
      'STATUS: FAIL',
      'CHECK: oauth_scope_restriction',
      'DETAIL: kandji_oauth_api is restricted,',
      '  so the Import Set API refuses its',
      '  tokens.',
      'FIX: Set Scope Restriction on',
      '  kandji_oauth_api to Broadly scoped',
      '  (deploy-integration deploy does this).',
      '',
      'STATUS: PASS',
      'CHECK: fix_script',
      'DETAIL: The fix script kandji_fix_script',
      '  is present.',
      'FIX:',
    ])
  })

  it(`a terminal narrower than ${MIN_TABLE_WIDTH} columns is laid out as ${MIN_TABLE_WIDTH} (words longer than that are cut)`, () => {
    expect(table(5)).toStrictEqual(table(MIN_TABLE_WIDTH))
    expect(table(MIN_TABLE_WIDTH).slice(0, 4)).toStrictEqual(['STATUS: FAIL', 'CHECK:', '  oauth_scope_restri', '  ction'])
  })

  it.each([20, 30, 35, 40, 46, 47, 50, 60, 80, 100, 120, 160, 205])('%i columns: no line is longer, and every cell re-joins to its text', (width) => {
    const lines = table(width)
    for (const line of lines) expect(line.length, JSON.stringify(line)).toBeLessThanOrEqual(width)
    expect(cellsOf(lines).map((row) => row.map(squeeze))).toStrictEqual(ROWS.map((row) => row.map(squeeze)))
  })

  it('the default wrap column is the last one; a table with no room even for it becomes blocks', () => {
    const rows = [['kandji_rest_api_user', 'an account the integration signs in with, and nothing more than that']]
    expect(formatTable(['NAME', 'NOTE'], rows, { width: 50 })).toStrictEqual([
      'NAME                  NOTE',
      '--------------------  ----------------------------',
      'kandji_rest_api_user  an account the integration',
      '                      signs in with, and nothing',
      '                      more than that',
    ])
    expect(formatTable(['NAME', 'NOTE'], rows, { width: 30 })).toStrictEqual(['NAME: kandji_rest_api_user', 'NOTE: an account the', '  integration signs in with,', '  and nothing more than that'])
  })
})

describe('wrapText', () => {
  it.each([
    ['', 5, ['']],
    ['abc', 3, ['abc']],
    ['abc def', 3, ['abc', 'def']],
    ['abc def', 5, ['abc', 'def']],
    ['abcdefgh', 3, ['abc', 'def', 'gh']],
    ['a bcdefgh', 3, ['a', 'bcd', 'efg', 'h']],
    ['abc', 0, ['abc']],
  ])('%j at %i -> %j', (text, width, lines) => {
    expect(wrapText(text, width)).toStrictEqual(lines)
  })
})

describe('the human tables on a terminal of a given width', () => {
  function output(width: number | undefined, color = true) {
    const stdout = new PassThrough()
    const chunks: string[] = []
    stdout.on('data', (c: Buffer) => chunks.push(c.toString('utf8')))
    const out = new Output({ stdout, stderr: new PassThrough(), json: false, color, tty: true, width })
    return { out, text: () => chunks.join('') }
  }
  const report: VerificationReport = {
    status: 'fail', generated_at: '2026-01-01 00:00:00', app: { scope: 'x_kandj_kandji', version: '1.3.0' },
    subject: { service_account: 'kandji_rest_api_user', oauth_client: 'kandji_oauth_api' }, summary: { pass: 1, warn: 0, fail: 1 },
    checks: [
      { id: 'oauth_scope_restriction', status: 'fail', title: 't', detail: ROWS[0]![2]!, fix: ROWS[0]![3]! },
      { id: 'fix_script', status: 'pass', title: 't', detail: ROWS[1]![2]! },
    ],
  }

  it.each([40, 80, 160])("verify's checks at %i columns: the table indented two spaces, no line longer, no colour inside it", (width) => {
    const { out, text } = output(width)
    renderVerification(out, report)
    const lines = text().split('\n').slice(2, -1)
    expect(lines).toStrictEqual(table(width - 2).map((l) => `  ${l}`))
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(width)
    expect(lines.join('\n')).not.toMatch(/\u001b/)
  })

  it('without a width the verify table is unbounded, as before', () => {
    const { out, text } = output(undefined, false)
    renderVerification(out, report)
    expect(text().split('\n').slice(2, -1)).toStrictEqual(table(undefined).map((l) => `  ${l}`))
  })

  it('the drift table wraps its DETAIL column', () => {
    const { out, text } = output(60, false)
    renderDrift(out, [{ kind: 'client-changed', detail: 'OAuth client "kandji_oauth_api": redirect_url is "https://evil.example", wanted "https://kandji.io"' }])
    expect(text().split('\n').slice(2, -1)).toStrictEqual([
      '  KIND            DETAIL',
      '  --------------  ------------------------------------------',
      '  client-changed  OAuth client "kandji_oauth_api":',
      '                  redirect_url is "https://evil.example",',
      '                  wanted "https://kandji.io"',
    ])
  })
})

describe('hangingLines (plan notes and warnings)', () => {
  const warning = 'extra direct privileged role "admin": the integration needs only cmdb_read, import_transformer, rest_api_explorer (re-run with --prune-roles to remove it)'

  it('one line without a width or when it fits', () => {
    expect(hangingLines('  warning: ', warning, undefined)).toStrictEqual([`  warning: ${warning}`])
    expect(hangingLines('  note: ', 'short', 20)).toStrictEqual(['  note: short'])
  })

  it('wraps under the text at 60 and 40 columns, nothing lost, no line longer', () => {
    expect(hangingLines('  warning: ', warning, 60)).toStrictEqual([
      '  warning: extra direct privileged role "admin": the',
      '           integration needs only cmdb_read,',
      '           import_transformer, rest_api_explorer (re-run',
      '           with --prune-roles to remove it)',
    ])
    const narrow = hangingLines('  warning: ', warning, 40)
    for (const l of narrow) expect(l.length).toBeLessThanOrEqual(40)
    expect(narrow.map((l) => l.trim()).join(' ')).toBe(`warning: ${warning}`)
  })

  it('keeps one line when the prefix leaves too little room', () => {
    expect(hangingLines(' '.repeat(15), warning, 20)).toStrictEqual([`${' '.repeat(15)}${warning}`])
  })
})
