import { createHash } from 'crypto';
import { ServiceError } from '../errors';
import type { SshPublicKeyRecord } from './model';
import { IamOperationTable, reader, writer } from './operation';
import { paginate, pageFields } from './pagination';
import { IamState, limitExceeded, noSuchEntity } from './store';
import { statusParam } from './accessKeys';

const MAX_SSH_KEYS_PER_USER = 5;

/** An ssh-rsa line for seeding; the endpoint checks the encoding, not the key maths. */
export function sampleSshPublicKeyBody(label: string): string {
  return `ssh-rsa ${Buffer.from(`\u0000\u0000\u0000\u0007ssh-rsa local-endpoint:${label}`).toString('base64')} ${label}`;
}

/** The MD5 fingerprint IAM shows (aa:bb:…) of the key's decoded base64 blob. */
function fingerprint(body: string): string {
  const blob = Buffer.from(body.trim().split(/\s+/)[1] ?? body, 'base64');
  return createHash('md5')
    .update(blob)
    .digest('hex')
    .replace(/(..)(?!$)/g, '$1:');
}

export function uploadSshPublicKey(iam: IamState, userName: string, body: string, uploadDate?: Date): SshPublicKeyRecord {
  const user = iam.requireUser(userName);
  if (!/^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+/.test(body) && !body.includes('-----BEGIN PUBLIC KEY-----')) {
    throw new ServiceError('UnrecognizedPublicKeyEncoding', 'The SSH public key is not in a recognized encoding (ssh-rsa or PEM).', 400);
  }
  if (user.sshPublicKeys.some((k) => k.body === body)) {
    throw new ServiceError('DuplicateSSHPublicKey', 'The SSH public key is a duplicate of one already uploaded for this user.', 400);
  }
  if (user.sshPublicKeys.length >= MAX_SSH_KEYS_PER_USER) {
    throw limitExceeded(`Cannot exceed quota for SSHPublicKeysPerUser: ${MAX_SSH_KEYS_PER_USER}`);
  }
  const key: SshPublicKeyRecord = {
    sshPublicKeyId: iam.ids.sshPublicKeyId(),
    body,
    fingerprint: fingerprint(body),
    status: 'Active',
    uploadDate: uploadDate ?? iam.now(),
  };
  user.sshPublicKeys.push(key);
  return key;
}

function requireKey(iam: IamState, userName: string, id: string): SshPublicKeyRecord {
  const key = iam.requireUser(userName).sshPublicKeys.find((k) => k.sshPublicKeyId === id);
  if (!key) throw noSuchEntity(`The Public Key with id ${id} cannot be found.`);
  return key;
}

function keyFields(userName: string, k: SshPublicKeyRecord) {
  return {
    UserName: userName,
    SSHPublicKeyId: k.sshPublicKeyId,
    Fingerprint: k.fingerprint,
    SSHPublicKeyBody: k.body,
    Status: k.status,
    UploadDate: k.uploadDate,
  };
}

export const sshPublicKeyOperations: IamOperationTable = {
  UploadSSHPublicKey: writer((iam, p) => {
    const user = iam.requireUser(p.required('UserName'));
    return { SSHPublicKey: keyFields(user.name, uploadSshPublicKey(iam, user.name, p.required('SSHPublicKeyBody'))) };
  }),
  ListSSHPublicKeys: reader((iam, p, ctx) => {
    const name = p.optional('UserName') ?? ctx.callerUserName;
    const user = name === undefined ? undefined : iam.requireUser(name);
    const keys = (user?.sshPublicKeys ?? []).slice().sort((a, b) => (a.sshPublicKeyId < b.sshPublicKeyId ? -1 : 1));
    const page = paginate(keys, (k) => k.sshPublicKeyId, p);
    return {
      SSHPublicKeys: page.items.map((k) => ({
        UserName: user?.name,
        SSHPublicKeyId: k.sshPublicKeyId,
        Status: k.status,
        UploadDate: k.uploadDate,
      })),
      ...pageFields(page),
    };
  }),
  GetSSHPublicKey: reader((iam, p) => {
    const user = iam.requireUser(p.required('UserName'));
    const encoding = p.required('Encoding');
    if (encoding !== 'SSH' && encoding !== 'PEM') throw new ServiceError('ValidationError', `Invalid Encoding ${encoding}`, 400);
    return { SSHPublicKey: keyFields(user.name, requireKey(iam, user.name, p.required('SSHPublicKeyId'))) };
  }),
  UpdateSSHPublicKey: writer((iam, p) => {
    requireKey(iam, p.required('UserName'), p.required('SSHPublicKeyId')).status = statusParam(p);
    return undefined;
  }),
  DeleteSSHPublicKey: writer((iam, p) => {
    const user = iam.requireUser(p.required('UserName'));
    const key = requireKey(iam, user.name, p.required('SSHPublicKeyId'));
    user.sshPublicKeys.splice(user.sshPublicKeys.indexOf(key), 1);
    return undefined;
  }),
};
