import { ServiceError } from '../errors';
import type { SigningCertificateRecord } from './model';
import { IamOperationTable, reader, writer } from './operation';
import { paginate, pageFields } from './pagination';
import { IamState, limitExceeded, noSuchEntity } from './store';
import { statusParam, subjectUser } from './accessKeys';

const MAX_CERTIFICATES_PER_USER = 2;

/** A syntactically plausible PEM body for seeding; the endpoint checks only the PEM armour. */
export function sampleCertificateBody(label: string): string {
  const payload = Buffer.from(`local-endpoint-certificate:${label}`).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${payload}\n-----END CERTIFICATE-----\n`;
}

export function uploadSigningCertificate(iam: IamState, userName: string, body: string, uploadDate?: Date): SigningCertificateRecord {
  const user = iam.requireUser(userName);
  if (!body.includes('-----BEGIN CERTIFICATE-----') || !body.includes('-----END CERTIFICATE-----')) {
    throw new ServiceError('MalformedCertificate', 'Unable to parse certificate. Please ensure the certificate is in PEM format.', 400);
  }
  if (user.signingCertificates.some((c) => c.body === body)) {
    throw new ServiceError('DuplicateCertificate', 'The Certificate you are trying to upload is a duplicate.', 409);
  }
  if (user.signingCertificates.length >= MAX_CERTIFICATES_PER_USER) {
    throw limitExceeded(`Cannot exceed quota for CertificatesPerUser: ${MAX_CERTIFICATES_PER_USER}`);
  }
  const certificate: SigningCertificateRecord = {
    certificateId: iam.ids.certificateId(),
    body,
    status: 'Active',
    uploadDate: uploadDate ?? iam.now(),
  };
  user.signingCertificates.push(certificate);
  return certificate;
}

function certificateFields(userName: string, c: SigningCertificateRecord) {
  return { UserName: userName, CertificateId: c.certificateId, CertificateBody: c.body, Status: c.status, UploadDate: c.uploadDate };
}

export const signingCertificateOperations: IamOperationTable = {
  UploadSigningCertificate: writer((iam, p, ctx) => {
    const user = subjectUser(iam, p, ctx);
    const certificate = uploadSigningCertificate(iam, user.name, p.required('CertificateBody'));
    return { Certificate: certificateFields(user.name, certificate) };
  }),
  ListSigningCertificates: reader((iam, p, ctx) => {
    const user = subjectUser(iam, p, ctx);
    const certificates = [...user.signingCertificates].sort((a, b) => (a.certificateId < b.certificateId ? -1 : 1));
    const page = paginate(certificates, (c) => c.certificateId, p);
    return { Certificates: page.items.map((c) => certificateFields(user.name, c)), ...pageFields(page) };
  }),
  UpdateSigningCertificate: writer((iam, p, ctx) => {
    const user = subjectUser(iam, p, ctx);
    const id = p.required('CertificateId');
    const certificate = user.signingCertificates.find((c) => c.certificateId === id);
    if (!certificate) throw noSuchEntity(`The Certificate with id ${id} cannot be found.`);
    certificate.status = statusParam(p);
    return undefined;
  }),
  DeleteSigningCertificate: writer((iam, p, ctx) => {
    const user = subjectUser(iam, p, ctx);
    const id = p.required('CertificateId');
    const index = user.signingCertificates.findIndex((c) => c.certificateId === id);
    if (index < 0) throw noSuchEntity(`The Certificate with id ${id} cannot be found.`);
    user.signingCertificates.splice(index, 1);
    return undefined;
  }),
};
