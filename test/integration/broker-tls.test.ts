import { startupErrorLine } from '../../src/app/run-service.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrokerSetupError, startBroker, type TlsOptions } from '../../src/adapters/broker/embedded-broker.js';
import { silentLogger } from '../../src/support/logger.js';
import { captureLogs, connectAs, refusedConnect, startSecuredBroker, tempDir, writeTestUsers } from '../helpers/broker-auth.js';
import { createResources, waitForMessage } from '../helpers/mqtt.js';
import { generateTestPki, type TestPki } from '../helpers/tls.js';

const resources = createResources();
afterEach(() => resources.closeAll());

let pki: TestPki;
let pkiDir: string;
const pkiResources = createResources();
beforeAll(() => {
  pkiDir = join(tempDir(pkiResources, 'broker-tls-'));
  pki = generateTestPki(pkiDir);
});
afterAll(() => pkiResources.closeAll());

const serverTls = (extra: Partial<TlsOptions> = {}): TlsOptions => ({
  port: 0,
  certFile: pki.files.serverCert,
  keyFile: pki.files.serverKey,
  ...extra,
});

describe('MQTT over TLS', () => {
  it('when a client trusts the CA and verifies the certificate, then it publishes and subscribes over MQTTS', async () => {
    const broker = await startSecuredBroker(resources, { tls: serverTls() });
    expect(broker.tlsUrl).toBe(`mqtts://127.0.0.1:${broker.tlsPort}`);
    const tls = { ca: pki.caCert, rejectUnauthorized: true };
    const sub = await connectAs(resources, broker.tlsUrl!, undefined, tls);
    await sub.subscribeAsync('factory/anomalies', { qos: 1 });
    const received = waitForMessage(sub, 'factory/anomalies');
    const pub = await connectAs(resources, broker.tlsUrl!, undefined, tls);
    await pub.publishAsync('factory/anomalies', 'over tls', { qos: 1 });
    expect((await received).payload.toString()).toBe('over tls');
  });

  it('when a client does not trust the CA, then it refuses the broker', async () => {
    const broker = await startSecuredBroker(resources, { tls: serverTls() });
    const err = await refusedConnect(broker.tlsUrl!, { rejectUnauthorized: true });
    expect(err.message).toMatch(/certificate/i);
  });

  it('when a client trusts another CA only, then it refuses the broker', async () => {
    const broker = await startSecuredBroker(resources, { tls: serverTls() });
    const err = await refusedConnect(broker.tlsUrl!, { ca: pki.otherCaCert, rejectUnauthorized: true });
    expect(err.message).toMatch(/certificate/i);
  });

  it('when users are configured, then MQTTS clients log in like the others', async () => {
    const { file, users } = await writeTestUsers(tempDir(resources), { viewer: 'viewer' });
    const broker = await startSecuredBroker(resources, { tls: serverTls(), authFile: file });
    const tls = { ca: pki.caCert, rejectUnauthorized: true };
    expect((await refusedConnect(broker.tlsUrl!, tls)).code).toBe(5);
    await connectAs(resources, broker.tlsUrl!, users.viewer, tls);
  });

  describe('with client certificates required', () => {
    const required = () => serverTls({ caFile: pki.files.caCert, requireClientCert: true });

    it('when the client presents a certificate signed by the CA, then it is accepted', async () => {
      const broker = await startSecuredBroker(resources, { tls: required() });
      const client = await connectAs(resources, broker.tlsUrl!, undefined, { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey });
      await client.publishAsync('t', 'with a certificate', { qos: 1 });
    });

    it('when the client presents no certificate, then the broker refuses it', async () => {
      const { logger, lines } = captureLogs();
      const broker = await startSecuredBroker(resources, { tls: required(), logger });
      const err = await refusedConnect(broker.tlsUrl!, { ca: pki.caCert });
      expect(err.message).toMatch(/certificate required/);
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'TLS handshake failed', err: expect.stringMatching(/certificate/i) }));
    });

    it('when the client certificate is signed by another CA, then the broker refuses it', async () => {
      const { logger, lines } = captureLogs();
      const broker = await startSecuredBroker(resources, { tls: required(), logger });
      let clients = 0;
      broker.aedes.on('client', () => (clients += 1));
      await refusedConnect(broker.tlsUrl!, { ca: pki.caCert, cert: pki.strangerCert, key: pki.strangerKey });
      // Under TLS 1.3 the client learns of the refusal only as a closed connection; the broker saw a failed handshake and no CONNECT.
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'TLS handshake failed' }));
      expect(clients).toBe(0);
    });
  });
});

describe('TLS settings that cannot work', () => {
  const startError = (tls: TlsOptions) =>
    startBroker({ host: '127.0.0.1', port: 0, logger: silentLogger(), tls }).then(
      async (b) => {
        await b.close();
        throw new Error('expected startBroker to reject');
      },
      (err: unknown) => err as BrokerSetupError,
    );

  it('when the certificate file is missing, then the broker refuses to start, naming MQTT_TLS_CERT and the path', async () => {
    const missing = join(pkiDir, 'absent.crt');
    const err = await startError(serverTls({ certFile: missing }));
    expect(err).toBeInstanceOf(BrokerSetupError);
    expect(err).toMatchObject({ setting: 'broker.tls.certFile', message: `cannot read the TLS certificate file ${missing}: no such file (ENOENT)` });
    expect(startupErrorLine(err)).toBe(`cannot read the TLS certificate file ${missing}: no such file (ENOENT) (check MQTT_TLS_CERT)`);
  });

  it('when the key file cannot be read, then it names MQTT_TLS_KEY', async () => {
    const err = await startError(serverTls({ keyFile: pkiDir }));
    expect(err).toMatchObject({ setting: 'broker.tls.keyFile', message: expect.stringContaining(`cannot read the TLS private key file ${pkiDir}`) });
  });

  it('when the key does not belong to the certificate, then it says so at start', async () => {
    const err = await startError(serverTls({ keyFile: join(pkiDir, 'client.key') }));
    expect(err).toMatchObject({ setting: 'broker.tls.keyFile', message: expect.stringMatching(/do not make a usable pair/) });
  });

  it('when a file is not PEM, then it says so', async () => {
    const notPem = join(pkiDir, 'not-pem.txt');
    writeFileSync(notPem, 'hello');
    const err = await startError(serverTls({ caFile: notPem }));
    expect(err).toMatchObject({ setting: 'broker.tls.caFile', message: expect.stringMatching(/is not PEM/) });
  });

  it('when client certificates are required without a CA, then it names MQTT_TLS_CA', async () => {
    const err = await startError(serverTls({ requireClientCert: true }));
    expect(err).toMatchObject({ setting: 'broker.tls.caFile' });
    expect(startupErrorLine(err)).toContain('(check MQTT_TLS_CA)');
  });
});
