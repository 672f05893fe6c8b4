import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A check of `Authorization: Bearer <token>`. Both tokens are hashed first so
 * the comparison is constant-time and of equal length whatever was sent: the
 * time taken says nothing about how much of the token was right.
 */
export function bearerTokenCheck(token: string): (authorization: string | undefined) => boolean {
  if (token.length === 0) throw new RangeError('the token must not be empty');
  const expected = digest(token);
  return (authorization) => {
    const given = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
    const same = timingSafeEqual(digest(given ?? ''), expected);
    return given !== undefined && same;
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
