/**
 * The secrets of a local broker: a self-signed CA and a broker certificate for 127.0.0.1 and
 * localhost (openssl, kept as a PKCS12 keystore), the SCRAM password and keystore password, and
 * the cluster id.
 */
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './support.mjs';
import { KafkaLocalError } from './versions.mjs';

/** A self-signed CA and a broker certificate for 127.0.0.1 / localhost, as a PKCS12 keystore. */
export async function makeCertificates(paths, keystorePassword) {
  const openssl = async (args) => {
    const result = await run(process.env.OPENSSL || 'openssl', args, { cwd: paths.tlsDir });
    if (result.error?.code === 'ENOENT') {
      throw new KafkaLocalError('openssl is not installed; it makes the broker certificates.');
    }
    if (result.code !== 0) {
      throw new KafkaLocalError(`openssl ${args[0]} failed: ${result.stderr.trim()}`);
    }
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  // prettier-ignore
  await openssl([
    'req', '-x509', ...ec, '-keyout', paths.caKey, '-out', paths.caPem, '-days', '3650',
    '-subj', '/CN=StreamPulse local Kafka CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const csr = join(paths.tlsDir, 'broker.csr');
  const ext = join(paths.tlsDir, 'broker.ext');
  await openssl(['req', ...ec, '-keyout', paths.brokerKey, '-out', csr, '-subj', '/CN=localhost']);
  writeFileSync(
    ext,
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyAgreement',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '',
    ].join('\n'),
  );
  // prettier-ignore
  await openssl([
    'x509', '-req', '-in', csr, '-CA', paths.caPem, '-CAkey', paths.caKey,
    '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-days', '825', '-sha256',
    '-extfile', ext, '-out', paths.brokerPem,
  ]);
  // prettier-ignore
  await openssl([
    'pkcs12', '-export', '-in', paths.brokerPem, '-inkey', paths.brokerKey,
    '-certfile', paths.caPem, '-name', 'broker', '-out', paths.keystore,
    '-passout', `pass:${keystorePassword}`,
  ]);
  rmSync(csr, { force: true });
  rmSync(ext, { force: true });
}

/** A Kafka cluster id: 16 random bytes, base64url (22 characters), not starting with '-'. */
export function newClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Letters and digits only, so it needs no quoting in JAAS, properties or --add-scram. */
export function secret(length) {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}
