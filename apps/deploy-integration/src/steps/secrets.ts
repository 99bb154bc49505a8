import { randomBytes, randomInt } from 'node:crypto'
import { SERVICE_ACCOUNT } from '@kandji-sn/contract/constants'

const LOWER = 'abcdefghijkmnopqrstuvwxyz'
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
const DIGITS = '23456789'
// No quotes, backslash, "^" (encoded-query separator), "&" or spaces: the password is typed into Iru Endpoint's
// form and may travel through shells and form encodings.
const SYMBOLS = '!#%*+-.:=?@_~'
const CLASSES = [LOWER, UPPER, DIGITS, SYMBOLS] as const

function pick(chars: string): string {
  return chars[randomInt(chars.length)] as string
}

/**
 * A password that meets a strict instance policy: SERVICE_ACCOUNT.generatedPasswordLength characters, at least
 * one of each class (lower, upper, digit, symbol), from node:crypto.
 */
export function generatePassword(length: number = SERVICE_ACCOUNT.generatedPasswordLength): string {
  const all = CLASSES.join('')
  const chars = CLASSES.map(pick)
  while (chars.length < length) chars.push(pick(all))
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[chars[i], chars[j]] = [chars[j] as string, chars[i] as string]
  }
  return chars.join('')
}

/** An OAuth client secret: 32 random bytes, base64url (43 characters). */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url')
}
