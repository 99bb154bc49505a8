import { readFileSync } from 'node:fs'
import { unzipSync, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { AppPackageError, readAppPackageFromZip } from '@kandji-sn/app-package'
import { loadKandjiApp } from '../kandji-app.ts'
import { parsedZip } from './parsed-zip.ts'

describe('parsedZip', () => {
  it('is exactly what reading the zip gives, on the first call and on a repeat, as a copy per caller', async () => {
    const zip = new Uint8Array(readFileSync((await loadKandjiApp()).zip))
    const direct = readAppPackageFromZip(zip)
    const first = parsedZip(zip)
    expect(first).toEqual(direct)
    first.records.length = 0
    first.files.push('changed')
    const again = parsedZip(zip)
    expect(again).toEqual(direct)
    expect(again).not.toBe(first)
  })

  it('another content is another package; a broken zip throws on every call', async () => {
    const zip = new Uint8Array(readFileSync((await loadKandjiApp()).zip))
    const entries = unzipSync(zip)
    const decoder = new TextDecoder()
    for (const [name, bytes] of Object.entries(entries)) {
      const text = decoder.decode(bytes)
      if (/<version>\d+\.\d+\.\d+<\/version>/.test(text)) entries[name] = new TextEncoder().encode(text.replace(/<version>\d+\.\d+\.\d+<\/version>/, '<version>99.0.0</version>'))
    }
    const upgraded = zipSync(entries)
    expect(parsedZip(zip).version).not.toBe('99.0.0')
    expect(parsedZip(upgraded)).toEqual(readAppPackageFromZip(upgraded))
    expect(parsedZip(upgraded).version).toBe('99.0.0')

    const broken = new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3])
    expect(() => parsedZip(broken)).toThrow(AppPackageError)
    expect(() => parsedZip(broken)).toThrow(AppPackageError)
    const notZip = new TextEncoder().encode('not a zip')
    expect(() => parsedZip(notZip)).toThrow(/not a zip file/)
    const empty = zipSync({})
    expect(() => parsedZip(empty)).toThrow(/holds no files/)
  })
})
