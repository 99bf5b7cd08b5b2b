import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** A fresh secret per launch: 32 random bytes, URL-safe. */
export function createControlToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Constant-time comparison; hashing first gives equal lengths, so a wrong length leaks nothing either. */
export function tokensMatch(presented: string | null, expected: string): boolean {
  if (presented === null) return false
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest()
  return timingSafeEqual(digest(presented), digest(expected))
}
