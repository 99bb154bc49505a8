import { describe, expect, it } from 'vitest'
import { DRIFT_KINDS } from '../constants.ts'
import { driftEntrySchema, driftListSchema } from './drift.ts'

describe('driftEntrySchema', () => {
  it('has exactly these kinds, each once', () => {
    expect([...DRIFT_KINDS]).toStrictEqual([
      'app-missing', 'app-outdated', 'app-foreign', 'app-incomplete',
      'client-missing', 'client-inactive', 'client-changed', 'client-secret-pending',
      'account-missing', 'account-inactive', 'account-locked', 'account-changed',
      'role-missing', 'role-added', 'property-missing', 'property-changed', 'choice-missing', 'choice-inactive',
    ])
    expect(new Set(DRIFT_KINDS).size).toBe(DRIFT_KINDS.length)
  })

  it('accepts every kind with a detail', () => {
    for (const kind of DRIFT_KINDS) expect(driftEntrySchema.parse({ kind, detail: 'x' })).toStrictEqual({ kind, detail: 'x' })
  })

  it.each([
    ['an unknown kind', { kind: 'role-changed', detail: 'x' }],
    ['a kind in another spelling', { kind: 'ROLE-ADDED', detail: 'x' }],
    ['an empty detail', { kind: 'role-added', detail: '' }],
    ['no detail', { kind: 'role-added' }],
    ['no kind', { detail: 'x' }],
    ['a number as kind', { kind: 5, detail: 'x' }],
    ['an object as detail', { kind: 'role-added', detail: { text: 'x' } }],
    ['null', null],
  ])('refuses %s', (_, value) => {
    expect(driftEntrySchema.safeParse(value).success).toBe(false)
  })

  it('a list is an array of entries; empty is in sync', () => {
    expect(driftListSchema.parse([])).toStrictEqual([])
    expect(driftListSchema.safeParse({ kind: 'role-added', detail: 'x' }).success).toBe(false)
    expect(driftListSchema.safeParse([{ kind: 'role-added', detail: 'x' }, { kind: 'nope', detail: 'y' }]).success).toBe(false)
  })
})
