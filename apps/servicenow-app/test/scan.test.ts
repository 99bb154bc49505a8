// The packed app (target/*.zip, written by `npm run build` / turbo) through the app-package scan: validation, the
// scan rules and the script lint. No error may ship; warnings are listed exactly, so a new one fails here and
// must be looked at (fixed, or added below with the reason it stays).
import { beforeAll, describe, expect, it } from 'vitest'
import { findBuiltPackage, readAppPackage, readAppProject, scanWithLint, type Finding } from '@kandji-sn/app-package'
import { appRoot, readPackageJson } from '../scripts/generate.ts'

let findings: Finding[]
let zip: string

beforeAll(async () => {
  zip = (await findBuiltPackage(appRoot)).zip
  findings = await scanWithLint(await readAppPackage(zip), { project: readAppProject(appRoot) })
}, 60_000)

describe('the scan of the packed app', () => {
  it('is the zip of the package.json version', () => {
    const { name, version } = readPackageJson()
    expect(zip.endsWith(`${`${name}_${version}`.replace(/[^A-Za-z0-9]+/g, '_')}.zip`)).toBe(true)
  })

  it('has no error-level finding', () => {
    expect(findings.filter((f) => f.severity === 'error')).toEqual([])
  })

  it('has exactly these warnings and notes', () => {
    expect(findings.filter((f) => f.severity !== 'error')).toEqual([])
  })
})
