import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface LocalCertificate {
  key: string;
  cert: string;
  /** The certificate as a file: a client trusts it through NODE_EXTRA_CA_CERTS. */
  certFile: string;
}

/**
 * A self-signed certificate for 127.0.0.1, valid for a day, so that the local API can speak
 * HTTPS as the real one does (`startServer({ tls })`). Written to `dir` for the client to trust.
 */
export async function selfSignedCertificate(dir: string): Promise<LocalCertificate> {
  const notBeforeDate = new Date();
  const notAfterDate = new Date(notBeforeDate.getTime() + 86_400_000);
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const certFile = path.join(dir, 'local-api-cert.pem');
  mkdirSync(dir, { recursive: true });
  writeFileSync(certFile, pems.cert);
  return { key: pems.private, cert: pems.cert, certFile };
}
