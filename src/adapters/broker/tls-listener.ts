/**
 * MQTT over TLS (MQTTS): certificate and key from files, and optionally a CA
 * that client certificates must chain to. File problems are reported at start
 * with the variable to fix, never as a TLS error on the first connection.
 */
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { createSecureContext, createServer, type Server, type TLSSocket } from 'node:tls';
import type { Logger } from '../../support/logger.js';
import type { ConnectionTracker } from './connection-tracker.js';
import { BrokerSetupError } from './setup-error.js';

export interface TlsOptions {
  /** Port of the MQTTS listener; 0 picks a free one. */
  port: number;
  /** PEM certificate (chain) of the broker. */
  certFile: string;
  /** PEM private key of that certificate. */
  keyFile: string;
  /** PEM CA bundle that client certificates must chain to. */
  caFile?: string;
  /** Refuse clients without a certificate signed by `caFile`. */
  requireClientCert?: boolean;
}

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
  requireClientCert: boolean;
}

/** A client that has not finished the handshake by then is holding a connection slot for nothing. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

/** Reads the files and checks that they make a usable TLS context; throws BrokerSetupError naming the setting. */
export async function loadTlsMaterial(options: TlsOptions): Promise<TlsMaterial> {
  if (options.requireClientCert && options.caFile === undefined) {
    throw new BrokerSetupError('client certificates are required but no CA is given to check them against', 'broker.tls.caFile');
  }
  const cert = await readPem(options.certFile, 'broker.tls.certFile', 'certificate');
  const key = await readPem(options.keyFile, 'broker.tls.keyFile', 'private key');
  const ca = options.caFile === undefined ? undefined : await readPem(options.caFile, 'broker.tls.caFile', 'CA certificate');
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new BrokerSetupError(
      `TLS certificate ${options.certFile} and key ${options.keyFile} do not make a usable pair: ${(err as Error).message}`,
      'broker.tls.keyFile',
      { cause: err },
    );
  }
  if (ca !== undefined) {
    try {
      createSecureContext({ ca });
    } catch (err) {
      throw new BrokerSetupError(`TLS CA file ${options.caFile} is not a PEM certificate: ${(err as Error).message}`, 'broker.tls.caFile', { cause: err });
    }
  }
  return { cert, key, ...(ca !== undefined ? { ca } : {}), requireClientCert: options.requireClientCert === true };
}

async function readPem(path: string, setting: string, what: string): Promise<Buffer> {
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new BrokerSetupError(`cannot read the TLS ${what} file ${path}: ${reason} (${code})`, setting, { cause: err });
  }
  if (!content.includes('-----BEGIN ')) throw new BrokerSetupError(`TLS ${what} file ${path} is not PEM (no -----BEGIN line)`, setting);
  return content;
}

/**
 * The listener: the raw socket is counted (and refused at the connection
 * limit) before the handshake; the decrypted stream goes to `handle`.
 */
export function createTlsListener(
  material: TlsMaterial,
  handle: (stream: TLSSocket) => void,
  tracker: ConnectionTracker,
  logger: Logger,
): Server {
  const server = createServer(
    {
      cert: material.cert,
      key: material.key,
      ...(material.ca !== undefined ? { ca: material.ca } : {}),
      requestCert: material.requireClientCert,
      rejectUnauthorized: material.requireClientCert,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    },
    handle,
  );
  server.on('connection', (socket: Socket) => tracker.accept(socket));
  // Untrusted client certificates, plain MQTT on the TLS port, scanners: expected noise, not warnings.
  server.on('tlsClientError', (err, socket) => logger.debug({ err: err.message, peer: socket.remoteAddress }, 'TLS handshake failed'));
  return server;
}
