import { describe, expect, it } from 'vitest'
import { InstanceUrlError, parseInstanceUrl } from './instance-url.ts'

describe('parseInstanceUrl', () => {
  it('reads a bare tenant the way Iru Endpoint asks for it', () => {
    expect(parseInstanceUrl('acme')).toEqual({ url: 'https://acme.service-now.com', tenant: 'acme' })
    expect(parseInstanceUrl('  ACME-dev ')).toEqual({ url: 'https://acme-dev.service-now.com', tenant: 'acme-dev' })
  })

  it('accepts a host or an https origin, with or without a trailing slash', () => {
    expect(parseInstanceUrl('acme.service-now.com')).toEqual({ url: 'https://acme.service-now.com', tenant: 'acme' })
    expect(parseInstanceUrl('https://Acme.Service-Now.com/')).toEqual({ url: 'https://acme.service-now.com', tenant: 'acme' })
    expect(parseInstanceUrl('https://cmdb.example.org')).toEqual({ url: 'https://cmdb.example.org', tenant: 'cmdb.example.org' })
  })

  it('allows plain http only on loopback, for the emulator', () => {
    expect(parseInstanceUrl('http://127.0.0.1:8080')).toEqual({ url: 'http://127.0.0.1:8080', tenant: '127.0.0.1:8080' })
    expect(parseInstanceUrl('http://localhost:1234/')).toEqual({ url: 'http://localhost:1234', tenant: 'localhost:1234' })
    expect(() => parseInstanceUrl('http://acme.service-now.com')).toThrow(/https/)
  })

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['acme_corp', /not a valid instance name/],
    ['-acme', /not a valid instance name/],
    ['https://acme.service-now.com/now/nav/ui', /host only/],
    ['https://acme.service-now.com?x=1', /host only/],
    ['https://acme.service-now.com/#frag', /host only/],
    ['ftp://acme.service-now.com', /not supported/],
    ['https://', /not a URL/],
    ['https://exa mple.com', /not a URL/],
  ])('refuses %j with a message that says what to type', (input, message) => {
    expect(() => parseInstanceUrl(input)).toThrow(InstanceUrlError)
    expect(() => parseInstanceUrl(input)).toThrow(message)
  })

  it('refuses credentials in the URL without echoing them', () => {
    let message = ''
    try {
      parseInstanceUrl('https://admin:hunter2@acme.service-now.com')
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/contains credentials/)
    expect(message).not.toContain('hunter2')
  })
})
