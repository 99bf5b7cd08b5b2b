import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** A fresh secret per launch: 32 random bytes, URL-safe. */
export function createControlToken(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * What a token given by the user (`serve --token`) may be: URL-safe as it stands, so the printed URL needs no
 * escaping, and long enough that guessing it is hopeless (32 hex digits are 128 bits).
 */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,128}$/
export const TOKEN_RULE = '32 to 128 characters of A-Z a-z 0-9 _ -'

/** Constant-time comparison; hashing first gives equal lengths, so a wrong length leaks nothing either. */
export function tokensMatch(presented: string | null, expected: string): boolean {
  if (presented === null) return false
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest()
  return timingSafeEqual(digest(presented), digest(expected))
}
