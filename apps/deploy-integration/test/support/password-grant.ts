import type { Handoff } from '@kandji-sn/contract'
import type { Emulator } from '@kandji-sn/instance-emulator'

/** The status of a password grant as Iru Endpoint makes it (POST /oauth_token.do) with these credentials. */
export async function passwordGrant(emulator: Pick<Emulator, 'url'>, h: Pick<Handoff, 'client_id' | 'client_secret' | 'username' | 'password'>): Promise<number> {
  const res = await fetch(`${emulator.url}/oauth_token.do`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'password', client_id: h.client_id, client_secret: h.client_secret, username: h.username, password: h.password }).toString(),
  })
  await res.arrayBuffer()
  return res.status
}
