/**
 * A throwaway PKI for TLS tests, made with the openssl command at test time
 * (nothing is committed): a CA, a server certificate for 127.0.0.1 and
 * localhost signed by it, a client certificate signed by it, and a second CA
 * that nobody trusts. EC P-256 keys, so it takes milliseconds.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasCommand } from './processes.js';

export interface TestPki {
  /** File paths, for the broker's options. */
  files: { caCert: string; serverCert: string; serverKey: string; otherCaCert: string };
  /** PEM contents, for mqtt.js options. */
  caCert: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
  otherCaCert: Buffer;
  /** A client certificate signed by the untrusted CA. */
  strangerCert: Buffer;
  strangerKey: Buffer;
}

/** Fails the test with a clear message, here and under CI alike: these tests are not skipped. */
export function requireOpenssl(): void {
  if (!hasCommand('openssl')) {
    throw new Error('the TLS tests need the openssl command to make test certificates; install it (apt-get install openssl)');
  }
}

export function generateTestPki(dir: string): TestPki {
  requireOpenssl();
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

  const makeCa = (name: string) =>
    openssl('req', '-x509', ...newKey, '-keyout', path(`${name}.key`), '-out', path(`${name}.crt`), '-days', '1', '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const makeLeaf = (name: string, ca: string, extensions: string) => {
    writeFileSync(path(`${name}.ext`), extensions);
    openssl('req', ...newKey, '-keyout', path(`${name}.key`), '-out', path(`${name}.csr`), '-subj', `/CN=${name}`);
    openssl('x509', '-req', '-in', path(`${name}.csr`), '-CA', path(`${ca}.crt`), '-CAkey', path(`${ca}.key`), '-CAcreateserial',
      '-out', path(`${name}.crt`), '-days', '1', '-extfile', path(`${name}.ext`));
  };

  makeCa('test-ca');
  makeCa('other-ca');
  makeLeaf('server', 'test-ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  makeLeaf('client', 'test-ca', 'extendedKeyUsage=clientAuth\n');
  makeLeaf('stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n');

  const read = (name: string) => readFileSync(path(name));
  return {
    files: { caCert: path('test-ca.crt'), serverCert: path('server.crt'), serverKey: path('server.key'), otherCaCert: path('other-ca.crt') },
    caCert: read('test-ca.crt'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    otherCaCert: read('other-ca.crt'),
    strangerCert: read('stranger.crt'),
    strangerKey: read('stranger.key'),
  };
}
