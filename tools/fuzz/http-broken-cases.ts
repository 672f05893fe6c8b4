/** A request that breaks HTTP itself, and how the server must answer it. */
export interface BrokenCase {
  name: string;
  /** Written as they are, one write each. */
  chunks: ReadonlyArray<string | Buffer>;
  status: number;
  error: string;
  /**
   * What the app's counters record: the route and the status, or `aborted`
   * when the app had the request but Node answered for it. Undefined when Node
   * refused it before the app saw it.
   */
  counted?: readonly [route: '/predict' | '/health' | 'unmatched', as: string];
}

const HOST = 'Host: fuzz\r\n';
const post = (headers: string, body = '', target = '/predict') => `POST ${target} HTTP/1.1\r\n${HOST}${headers}\r\n${body}`;
const predict = (status: number): BrokenCase['counted'] => ['/predict', String(status)];
const TLS_CLIENT_HELLO = Buffer.of(0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, 0xff, 0x00, 0x0d, 0x0a, 0x0d, 0x0a);

/**
 * Broken HTTP: garbage request lines, lying or malformed Content-Length,
 * bodies over `limitBytes` (declared or chunked), bad chunking, wrong methods
 * and paths, header floods, stalled requests. The stalled ones rely on the
 * server's header and request timeouts.
 */
export function brokenHttpCases(limitBytes: number): BrokenCase[] {
  const slice = 'x'.repeat(16 * 1024);
  const chunk = `${slice.length.toString(16)}\r\n${slice}\r\n`;
  const overLimit = Array.from({ length: Math.ceil(limitBytes / slice.length) + 1 }, () => chunk);
  const badRequest = (name: string, chunks: BrokenCase['chunks']): BrokenCase => ({ name, chunks, status: 400, error: 'bad_request' });
  const wrongMethod = (method: string): BrokenCase => ({
    name: `${method} /predict`,
    chunks: [`${method} /predict HTTP/1.1\r\n${HOST}\r\n`],
    status: 405,
    error: 'method_not_allowed',
    counted: predict(405),
  });
  const notFound = (name: string, line: string): BrokenCase => ({
    name,
    chunks: [`${line} HTTP/1.1\r\n${HOST}Content-Length: 2\r\n\r\n{}`],
    status: 404,
    error: 'not_found',
    counted: ['unmatched', '404'],
  });
  return [
    badRequest('a garbage request line', ['GARBAGE\r\n\r\n']),
    badRequest('a TLS ClientHello', [TLS_CLIENT_HELLO]),
    badRequest('the HTTP/2 preface', ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n']),
    badRequest('HTTP/9.9', [`GET /predict HTTP/9.9\r\n${HOST}\r\n`]),
    badRequest('an unknown method', [`FUZZ /predict HTTP/1.1\r\n${HOST}\r\n`]),
    badRequest('a NUL in the target', [`POST /pre\u0000dict HTTP/1.1\r\n${HOST}\r\n`]),
    badRequest('a header without a colon', [post('NoColonHere\r\n', '{}')]),
    badRequest('a NUL in a header value', [post('X-Fuzz: a\u0000b\r\nContent-Length: 2\r\n', '{}')]),
    badRequest('a folded header', [post('X-Fuzz: a\r\n b\r\nContent-Length: 2\r\n', '{}')]),
    badRequest('bare LF line ends', ['POST /predict HTTP/1.1\nHost: fuzz\nContent-Length: 2\n\n{}']),
    badRequest('Content-Length: abc', [post('Content-Length: abc\r\n', '{}')]),
    badRequest('Content-Length: -1', [post('Content-Length: -1\r\n', '{}')]),
    badRequest('Content-Length: 1.5', [post('Content-Length: 1.5\r\n', '{}')]),
    badRequest('two different Content-Lengths', [post('Content-Length: 2\r\nContent-Length: 3\r\n', '{}')]),
    badRequest('Content-Length with chunked', [post('Content-Length: 5\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n')]),
    badRequest('chunked not the last coding', [post('Transfer-Encoding: chunked, gzip\r\n', '0\r\n\r\n')]),
    { ...badRequest('a bad chunk size', [post('Transfer-Encoding: chunked\r\n', 'zz\r\nabc\r\n')]), counted: ['/predict', 'aborted'] },
    {
      name: '20 KiB of chunk extensions',
      chunks: [post('Transfer-Encoding: chunked\r\n', `a;${'x'.repeat(20_000)}\r\n0123456789\r\n0\r\n\r\n`)],
      status: 413,
      error: 'payload_too_large',
      counted: ['/predict', 'aborted'],
    },
    { name: 'a 20 KiB URL', chunks: [`GET /predict?${'q'.repeat(20_000)} HTTP/1.1\r\n${HOST}\r\n`], status: 431, error: 'headers_too_large' },
    { name: 'a 20 KiB header', chunks: [post(`X-Fuzz: ${'h'.repeat(20_000)}\r\n`, '{}')], status: 431, error: 'headers_too_large' },
    { name: '1,500 headers', chunks: [post('X-Fuzz-0000: v\r\n'.repeat(1500), '{}')], status: 431, error: 'headers_too_large' },
    { name: 'headers that never end', chunks: [`POST /predict HTTP/1.1\r\n${HOST}X-Fuzz: slow\r\n`], status: 408, error: 'request_timeout' },
    { name: 'CONNECT', chunks: ['CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'], status: 405, error: 'method_not_allowed' },
    {
      name: 'a body shorter than its Content-Length',
      chunks: [post('Content-Length: 100\r\n', '{"temp')],
      status: 408,
      error: 'request_timeout',
      counted: ['/predict', 'aborted'],
    },
    { name: 'a declared body over the limit', chunks: [post('Content-Length: 999999999\r\n', '{"temp')], status: 413, error: 'payload_too_large', counted: predict(413) },
    {
      name: 'Expect: 100-continue over the limit',
      chunks: [post(`Expect: 100-continue\r\nContent-Length: ${limitBytes + 1}\r\n`)],
      status: 413,
      error: 'payload_too_large',
      counted: predict(413),
    },
    { name: 'a chunked body over the limit', chunks: [post('Transfer-Encoding: chunked\r\n'), ...overLimit], status: 413, error: 'payload_too_large', counted: predict(413) },
    { name: 'Expect: fuzz', chunks: [post('Expect: fuzz\r\nContent-Length: 2\r\n', '{}')], status: 417, error: 'expectation_failed', counted: predict(417) },
    { name: 'no Host', chunks: ['POST /predict HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}'], status: 400, error: 'missing_host', counted: predict(400) },
    { name: 'HTTP/1.0 with a bad body', chunks: ['POST /predict HTTP/1.0\r\nContent-Length: 3\r\n\r\n{x}'], status: 400, error: 'invalid_json', counted: predict(400) },
    { name: 'an unknown charset', chunks: [post('Content-Type: application/json; charset=x-fuzz\r\nContent-Length: 2\r\n', '{}')], status: 415, error: 'unsupported_charset', counted: predict(415) },
    {
      name: 'a 10 KB content type',
      chunks: [post(`Content-Type: application/json; ${'p=v; '.repeat(2000)}charset=x-fuzz\r\nContent-Length: 2\r\n`, '{}')],
      status: 415,
      error: 'unsupported_charset',
      counted: predict(415),
    },
    {
      name: 'UTF-8 sent as charset=utf-16le',
      chunks: [post('Content-Type: application/json; charset=utf-16le\r\nContent-Length: 42\r\n', '{"temperature":25,"humidity":50,"sound":6}')],
      status: 400,
      error: 'invalid_json',
      counted: predict(400),
    },
    { name: '500 headers under the limit', chunks: [post('X-Fuzz: v\r\n'.repeat(500) + 'Content-Length: 15\r\n', '{"temperature":')], status: 400, error: 'invalid_json', counted: predict(400) },
    { name: 'a garbage query string', chunks: [post('Content-Length: 4\r\n', 'null', '/predict?%00%ff%fe=%zz&&==')], status: 400, error: 'invalid_reading', counted: predict(400) },
    ...['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'].map(wrongMethod),
    { name: 'GET in absolute form', chunks: [`GET http://evil.example/predict HTTP/1.1\r\n${HOST}\r\n`], status: 405, error: 'method_not_allowed', counted: predict(405) },
    { name: 'POST /health', chunks: [post('Content-Length: 2\r\n', '{}', '/health')], status: 405, error: 'method_not_allowed', counted: ['/health', '405'] },
    notFound('an unknown path', 'POST /nowhere'),
    notFound('a trailing slash', 'POST /predict/'),
    notFound('upper case', 'POST /PREDICT'),
    notFound('a dot-dot path', 'POST /x/../predict'),
    notFound('OPTIONS *', 'OPTIONS *'),
  ];
}
