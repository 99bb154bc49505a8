import { describe, expect, it } from 'vitest'
import { describeQuery, redact } from './redact.ts'

describe('redact()', () => {
  it('masks a secret wherever it appears, also URL-, form-, JSON- and base64-encoded', () => {
    const secret = 'p@ss word&"x'
    const text = [
      `raw ${secret}`,
      `url ${encodeURIComponent(secret)}`,
      `form ${new URLSearchParams({ a: secret }).toString()}`,
      `json ${JSON.stringify({ v: secret })}`,
      `b64 ${Buffer.from(secret).toString('base64')}`,
    ].join('\n')
    const out = redact(text, [secret])
    expect(out).not.toContain('p@ss')
    expect(out).not.toContain(encodeURIComponent(secret))
    expect(out).not.toContain(Buffer.from(secret).toString('base64').replace(/=+$/, ''))
  })

  it('masks credential-shaped text it was not told about', () => {
    const out = redact(
      'Authorization: Bearer abcdefghijklmnop; Authorization: Basic YWRtaW46YWRtaW4= user_password=hunter2&client_secret=zzz ' +
        '{"password":"pw1","refresh_token":"rt"} Cookie: JSESSIONID=ABC123; glide_user_route=glide.xyz X-UserToken: tok123 sysparm_ck=ck1',
      [],
    )
    for (const leaked of ['abcdefghijklmnop', 'YWRtaW46YWRtaW4', 'hunter2', 'zzz', 'pw1', '"rt"', 'ABC123', 'glide.xyz', 'tok123', 'ck1']) {
      expect(out).not.toContain(leaked)
    }
  })

  it('ignores empty and one-character secrets instead of masking everything', () => {
    expect(redact('a normal line', ['', 'a'])).toBe('a normal line')
  })

  it('describeQuery masks password-like parameters and keeps the rest readable', () => {
    const q = new URLSearchParams({ sysparm_query: 'user_name=bob', user_password: 'x', client_secret: 'y', sysparm_ck: 'z' })
    expect(describeQuery(q)).toBe('sysparm_query=user_name=bob&user_password=***&client_secret=***&sysparm_ck=***')
  })
})
