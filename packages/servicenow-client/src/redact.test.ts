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

describe('redact(), exactly', () => {
  it('replaces each encoding of a secret with the mask, the longest first so nothing of it is left', () => {
    const secret = 'p@ss word&"x'
    expect(redact(`a ${secret} b ${encodeURIComponent(secret)} c ${new URLSearchParams({ s: secret }).toString().slice(2)} d ${Buffer.from(secret).toString('base64')} e ${JSON.stringify(secret)}`, [secret]))
      .toBe('a *** b *** c *** d *** e "***"')
    // base64 with its padding, and without it (as base64url and JWTs carry it)
    const padded = Buffer.from('secret1').toString('base64')
    expect(padded).toBe('c2VjcmV0MQ==')
    expect(redact(`${padded} c2VjcmV0MQ`, ['secret1'])).toBe('***== ***')
    expect(redact('token abcdef and abc', ['abc', 'abcdef'])).toBe('token *** and ***')
    expect(redact('ab and a', ['ab'])).toBe('*** and a')
    expect(redact('nothing to hide', [undefined as unknown as string, 5 as unknown as string])).toBe('nothing to hide')
  })

  it('masks credential-shaped text, keeping what names it', () => {
    const cases: Array<[string, string]> = [
      ['Authorization: Bearer abcdefghij', 'Authorization: Bearer ***'],
      ['Authorization: Basic YWRtaW46YWRtaW4=', 'Authorization: Basic ***'],
      ['Basic short', 'Basic short'],
      ['password=a1&user_password=b2&client_secret=c3&refresh_token=d4&access_token=e5&sysparm_ck=f6&ni.nolog.user_password=g7&keep=me',
        'password=***&user_password=***&client_secret=***&refresh_token=***&access_token=***&sysparm_ck=***&ni.nolog.user_password=***&keep=me'],
      ['PASSWORD=x y', 'PASSWORD=*** y'],
      ['sysparm_query=user_password%3Dhunter2%5Eactive%3Dtrue', 'sysparm_query=user_password%3D***%5Eactive%3Dtrue'],
      ['q=client_secret%3Dabc%26x', 'q=client_secret%3D***%26x'],
      ['{"password" : "p\\"w", "user_password":"u", "client_secret":"c", "refresh_token":"r", "access_token":"a", "sysparm_ck":"k", "name":"n"}',
        '{"password":"***", "user_password":"***", "client_secret":"***", "refresh_token":"***", "access_token":"***", "sysparm_ck":"***", "name":"n"}'],
      ['Cookie: JSESSIONID=A1; glide_user_route=B2; glide_session_store=C3; glide_user=D4; glide_user_session=E5; BIGipServerpool-x=F6; theme=dark',
        'Cookie: JSESSIONID=***; glide_user_route=***; glide_session_store=***; glide_user=***; glide_user_session=***; BIGipServerpool-x=***; theme=dark'],
      ['X-UserToken: tok1, x-usertoken-response="tok2"; X-UserToken=tok3', 'X-UserToken: ***, x-usertoken-response="***"; X-UserToken=***'],
    ]
    for (const [input, output] of cases) expect(redact(input, []), input).toBe(output)
  })

  it('describeQuery masks secret parameters whatever their case and shortens values past 200 characters', () => {
    const q = new URLSearchParams([['PASSWORD', 'x'], ['refresh_token', 'r'], ['access_token', 'a'], ['ni.nolog.user_password', 'n'], ['long', 'v'.repeat(201)], ['edge', 'e'.repeat(200)]])
    expect(describeQuery(q)).toBe(`PASSWORD=***&refresh_token=***&access_token=***&ni.nolog.user_password=***&long=${'v'.repeat(200)}…&edge=${'e'.repeat(200)}`)
    expect(describeQuery(new URLSearchParams())).toBe('')
  })
})
