/**
 * Password hashing for the users file: scrypt (node:crypto) with a random
 * salt per user, the parameters stored beside the hash so they can be raised
 * later without breaking old entries, and a constant-time comparison.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

/** scrypt cost: 2^14 × 8 × 128 bytes = 16 MiB and some tens of ms per check, on the libuv pool. */
export const DEFAULT_SCRYPT = Object.freeze({ N: 16384, r: 8, p: 1, keyLength: 32 });
const SALT_BYTES = 16;

const base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64');

/** scrypt uses 128 × N × r bytes; a tampered or mistyped file must not make each CONNECT allocate more than this. */
const MAX_SCRYPT_MEMORY = 64 * 1024 * 1024;

/** A stored password, as it appears in the users file. */
export const passwordHashSchema = z
  .object({
    algorithm: z.literal('scrypt'),
    N: z.number().int().min(2).refine((n) => (n & (n - 1)) === 0, 'N must be a power of two'),
    r: z.number().int().min(1),
    p: z.number().int().min(1).max(16),
    keyLength: z.number().int().min(16).max(128),
    salt: base64,
    hash: base64,
  })
  .refine((h) => 128 * h.N * h.r <= MAX_SCRYPT_MEMORY, 'scrypt parameters need more than 64 MiB (128 × N × r)');
export type PasswordHash = z.output<typeof passwordHashSchema>;

export async function hashPassword(password: string, params: Omit<PasswordHash, 'algorithm' | 'salt' | 'hash'> = DEFAULT_SCRYPT): Promise<PasswordHash> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(Buffer.from(password, 'utf8'), salt, params);
  return { algorithm: 'scrypt', ...params, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

/** True when `password` hashes to `stored`; the comparison takes the same time wherever the bytes differ. */
export async function verifyPassword(password: Buffer | string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const given = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  const actual = await derive(given, Buffer.from(stored.salt, 'base64'), { ...stored, keyLength: expected.length });
  return expected.length > 0 && timingSafeEqual(actual, expected);
}

let decoy: Promise<PasswordHash> | undefined;

/**
 * A hash no password matches, computed once. Checking a password for an
 * unknown user against it costs the same as for a known one, so response
 * times do not tell which user names exist.
 */
export function decoyHash(): Promise<PasswordHash> {
  return (decoy ??= hashPassword(randomBytes(32).toString('base64')));
}

function derive(password: Buffer, salt: Buffer, params: { N: number; r: number; p: number; keyLength: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 2 * MAX_SCRYPT_MEMORY };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, params.keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
