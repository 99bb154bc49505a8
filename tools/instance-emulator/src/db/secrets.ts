// Encrypted columns. `password` (sys_user.user_password) is a one-way salted hash; `password2`
// (oauth_entity.client_secret) is two-way encrypted so the instance can compare a client secret. Neither is ever
// stored or shown as plaintext.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto'

const SCRYPT_COST = { N: 1024, r: 8, p: 1 }

/**
 * Outcomes of verifyPassword, so the requests of one run (every one signs in with basic auth) pay for the scrypt
 * once: it was over half the CPU of a probe run in the tests. The key is the stored hash and an HMAC of the
 * attempt under a per-process random key, never the attempt itself. Bounded: full, it starts over.
 */
const verified = new Map<string, boolean>()
const VERIFIED_MAX = 4096
const attemptKey = randomBytes(32)

export function hashPassword(plaintext: string): string {
  const salt = randomBytes(16)
  const hash = scryptSync(plaintext, salt, 32, SCRYPT_COST)
  return `$s1$${salt.toString('hex')}$${hash.toString('hex')}`
}

export function verifyPassword(stored: string, plaintext: string): boolean {
  const key = `${stored}\n${createHmac('sha256', attemptKey).update(plaintext).digest('hex')}`
  const known = verified.get(key)
  if (known !== undefined) return known
  const outcome = scryptMatches(stored, plaintext)
  if (verified.size >= VERIFIED_MAX) verified.clear()
  verified.set(key, outcome)
  return outcome
}

function scryptMatches(stored: string, plaintext: string): boolean {
  const [, kind, saltHex, hashHex] = stored.split('$')
  if (kind !== 's1' || !saltHex || !hashHex) return false
  const expected = Buffer.from(hashHex, 'hex')
  const actual = scryptSync(plaintext, Buffer.from(saltHex, 'hex'), expected.length, SCRYPT_COST)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

export class SecretBox {
  readonly key: Buffer
  constructor(keyHex?: string) {
    this.key = keyHex ? Buffer.from(keyHex, 'hex') : randomBytes(32)
  }

  get keyHex(): string {
    return this.key.toString('hex')
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return `enc1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${data.toString('base64')}`
  }

  decrypt(stored: string): string | undefined {
    const [kind, iv, tag, data] = stored.split(':')
    if (kind !== 'enc1' || !iv || !tag || data === undefined) return undefined
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'))
      decipher.setAuthTag(Buffer.from(tag, 'base64'))
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8')
    } catch {
      return undefined
    }
  }
}
