import { decoyHash, hashPassword, passwordHashSchema, verifyPassword } from '../../../../../src/adapters/broker/auth/password.js';

/** Cheap parameters: these tests are about the format and the comparison, not the cost. */
const fast = { N: 1024, r: 8, p: 1, keyLength: 32 };

describe('password hashing', () => {
  it('when the right password is given, then it verifies; a wrong one does not', async () => {
    const stored = await hashPassword('correct horse battery', fast);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword(Buffer.from('correct horse battery'), stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('stores scrypt, its parameters and a per-user salt, never the password', async () => {
    const a = await hashPassword('same password', fast);
    const b = await hashPassword('same password', fast);
    expect(a).toMatchObject({ algorithm: 'scrypt', N: 1024, r: 8, p: 1, keyLength: 32 });
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(JSON.stringify(a)).not.toContain('same password');
    expect(passwordHashSchema.safeParse(a).success).toBe(true);
  });

  it('uses the parameters stored with the hash', async () => {
    const stored = await hashPassword('pw-with-other-cost', { N: 2048, r: 4, p: 2, keyLength: 48 });
    expect(Buffer.from(stored.hash, 'base64')).toHaveLength(48);
    expect(await verifyPassword('pw-with-other-cost', stored)).toBe(true);
  });

  it('the decoy matches no password', async () => {
    const decoy = await decoyHash();
    expect(await verifyPassword('', decoy)).toBe(false);
    expect(await verifyPassword('password', decoy)).toBe(false);
  });

  it.each([
    ['N not a power of two', { N: 1000 }],
    ['more than 64 MiB of memory', { N: 2 ** 20, r: 8 }],
    ['another algorithm', { algorithm: 'md5' }],
    ['a salt that is not base64', { salt: 'not base64!' }],
  ])('refuses a stored hash with %s', async (_what, change) => {
    const stored = await hashPassword('x'.repeat(12), fast);
    expect(passwordHashSchema.safeParse({ ...stored, ...change }).success).toBe(false);
  });
});
