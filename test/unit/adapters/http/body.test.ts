import { Readable } from 'node:stream';
import { readBody, type BodySource } from '../../../../src/adapters/http/body.js';

function source(chunks: readonly (string | Buffer)[], headers: Record<string, string> = {}): BodySource {
  return Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), { headers });
}

describe('readBody', () => {
  it('when the body is one chunk, then it is returned as is', async () => {
    const result = await readBody(source(['{"a":1}']), 100);
    expect(result).toEqual({ ok: true, bytes: Buffer.from('{"a":1}') });
  });

  it('when the body arrives in chunks, then they are joined', async () => {
    const result = await readBody(source(['{"a"', ':', '1}']), 100);
    expect(result.ok && result.bytes.toString()).toBe('{"a":1}');
  });

  it('when the body is exactly the limit, then it is accepted', async () => {
    const result = await readBody(source(['x'.repeat(10)]), 10);
    expect(result.ok).toBe(true);
  });

  it('when Content-Length is over the limit, then it answers 413 without reading a byte', async () => {
    const req = source(['x'.repeat(50)], { 'content-length': '50' });
    const result = await readBody(req, 10);
    expect(result).toMatchObject({ ok: false, error: { status: 413, body: { error: 'payload_too_large' } } });
    expect(req.readableFlowing).toBeNull(); // never started reading
  });

  it('when a body without Content-Length crosses the limit, then it answers 413 and stops listening', async () => {
    const req = source(['x'.repeat(6), 'x'.repeat(6), 'x'.repeat(6)]);
    const result = await readBody(req, 10);
    expect(result).toMatchObject({ ok: false, error: { status: 413, headers: { connection: 'close' } } });
    expect(req.listenerCount('data')).toBe(0);
  });

  it('when the client goes away mid-body, then it reports an aborted request', async () => {
    const req = Object.assign(new Readable({ read() {} }), { headers: {} });
    const pending = readBody(req, 100);
    req.push('{"partial');
    req.destroy();
    await expect(pending).resolves.toMatchObject({ ok: false, error: { status: 400, body: { error: 'request_aborted' } } });
  });
});
