import * as fs from 'fs';
import * as path from 'path';
import { InternalError, UsageError } from '../errors';
import { describeFsError, ensureDirectory, writeDurably } from './local-files';
import type { LiveUserDetails } from './read-user';
import { QUARANTINE_POLICY_NAME } from '../model/quarantine-marker';
import { EXECUTOR_MARK_TAG_KEYS } from './deactivated-keys';

export { DEFAULT_BACKUP_DIR } from '../defaults';

export const BACKUP_SCHEMA_VERSION = 1 as const;

/** What is on disk: the live details plus where and why they were taken. */
export interface UserBackup {
  readonly schemaVersion: typeof BACKUP_SCHEMA_VERSION;
  readonly kind: 'iam-allowlist-user-backup';
  readonly takenAt: string;
  readonly accountId: string;
  /** The action that was about to run when the backup was taken. */
  readonly purpose: 'delete' | 'quarantine';
  readonly user: LiveUserDetails;
}

/** Field names under which AWS returns secrets. Never written to a backup, whatever their value. */
const SECRET_FIELD = /^(secretaccesskey|password|servicepassword|sessiontoken|privatekey|secret|secretkey|credentials)$/i;
/**
 * Fields whose values people choose freely (tags, names, policy documents, public key and
 * certificate bodies): a 40-character tag value is not a secret, and AWS never returns secrets
 * through the read calls behind a backup, so shape checks there would only block the user forever.
 * Secret field NAMES are still looked for inside them.
 */
const FREE_TEXT_FIELD = /^(name|path|key|value|tags|groups|document|body|description)$/i;
/** Session tokens (STS) begin with these base64 prefixes. */
const SESSION_TOKEN_PREFIX = /^(IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)/;

/**
 * A secret access key is 40 characters of base64 alphabet. Requiring mixed case and a digit keeps
 * hex digests (git SHAs in tags) from looking like one: a random 40-char key has all three.
 */
export function looksLikeSecretAccessKey(value: string): boolean {
  return /^[A-Za-z0-9/+]{40}$/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9]/.test(value);
}

/**
 * Paths (like "$.accessKeys[0].accessKeyId") of everything in `value` that is or looks like a
 * secret: any field named like a secret, and secret-shaped strings in fields that are not free text
 * (ids, statuses, dates: AWS-generated values, where a secret can only land through a bug of ours).
 */
export function findSecrets(value: unknown, at = '$', inFreeText = false): string[] {
  if (typeof value === 'string') {
    return !inFreeText && (looksLikeSecretAccessKey(value) || SESSION_TOKEN_PREFIX.test(value)) ? [at] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findSecrets(v, `${at}[${i}]`, inFreeText));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      SECRET_FIELD.test(k) ? [`${at}.${k}`] : findSecrets(v, `${at}.${k}`, inFreeText || FREE_TEXT_FIELD.test(k)),
    );
  }
  return [];
}

/** Throws InternalError (naming where, never the value) if anything secret-shaped is present. */
export function assertNoSecrets(value: unknown): void {
  const found = findSecrets(value);
  if (found.length > 0) {
    throw new InternalError(`refusing to store a secret-shaped value at ${found.join(', ')}`);
  }
}

/** "2026-02-14T10:15:00.123Z" -> "20260214T101500123Z": sortable and safe in file names. */
export function fileTimestamp(time: Date): string {
  return time.toISOString().replace(/[-:.]/g, '');
}

export function backupFileName(accountId: string, userName: string, userId: string, time: Date): string {
  return `${accountId}-${userName}-${userId}-${fileTimestamp(time)}.json`;
}

/** Backups of exactly this user (account + name + userId), oldest first. */
export function listBackups(dir: string, accountId: string, userName: string, userId: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const prefix = `${accountId}-${userName}-${userId}-`;
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json') && /^\d{8}T\d{9}Z\.json$/.test(f.slice(prefix.length)))
    .sort()
    .map((f) => path.join(dir, f));
}

export function readBackup(file: string): UserBackup {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as UserBackup;
  if (parsed.kind !== 'iam-allowlist-user-backup' || parsed.schemaVersion !== BACKUP_SCHEMA_VERSION || !parsed.user?.userId) {
    throw new InternalError(`${file} is not an iam-allowlist user backup (schema ${BACKUP_SCHEMA_VERSION})`);
  }
  return parsed;
}

/** No backup on disk means no change to the user: the steps after the backup do not run. */
export class BackupWriteError extends UsageError {
  constructor(
    readonly file: string,
    readonly cause: unknown,
  ) {
    super(
      `cannot write backup to ${file}: ${describeFsError(cause)}`,
      'point --backup-dir at a directory on a writable file system with free space',
    );
  }
}

/** temp file + fsync + rename + fsync of the directory: a reader sees the whole file or none. */
export function writeFileAtomic(file: string, content: string): void {
  const dir = path.dirname(file);
  ensureDirectory(dir);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  writeDurably(tmp, content, 'w');
  fs.renameSync(tmp, file);
  try {
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    // Directory fsync is not supported everywhere (Windows); the rename itself is still atomic.
  }
}

/**
 * The items of a user that a backup can hold, keyed by comparable strings, each with a label for
 * people; quarantine's own marks are left out.
 */
function contentItems(u: LiveUserDetails): Map<string, string> {
  const items = new Map<string, string>();
  for (const t of u.tags) if (!EXECUTOR_MARK_TAG_KEYS.includes(t.key)) items.set(`tag:${t.key}=${t.value}`, `tag ${t.key}`);
  if (u.permissionsBoundaryArn) items.set(`boundary:${u.permissionsBoundaryArn}`, `permissions boundary ${u.permissionsBoundaryArn}`);
  for (const g of u.groups) items.set(`group:${g}`, `group ${g}`);
  for (const p of u.inlinePolicies)
    if (p.name !== QUARANTINE_POLICY_NAME) items.set(`inline:${p.name}:${p.document}`, `inline policy ${p.name}`);
  for (const a of u.attachedPolicyArns) items.set(`attached:${a}`, `managed policy ${a}`);
  if (u.loginProfile.present) items.set('login-profile', 'login profile');
  for (const k of u.accessKeys) items.set(`key:${k.accessKeyId}`, `access key ${k.accessKeyId}`);
  for (const m of u.mfaDevices) items.set(`mfa:${m.serialNumber}`, `MFA device ${m.serialNumber}`);
  for (const s of u.sshPublicKeys) items.set(`ssh:${s.sshPublicKeyId}`, `SSH public key ${s.sshPublicKeyId}`);
  for (const c of u.signingCertificates) items.set(`cert:${c.certificateId}`, `signing certificate ${c.certificateId}`);
  for (const c of u.serviceSpecificCredentials)
    items.set(`ssc:${c.serviceSpecificCredentialId}`, `service-specific credential ${c.serviceSpecificCredentialId}`);
  return items;
}

/** Labels ("access key AKIA…", "inline policy x") of what `live` holds and `backup` does not. */
export function itemsMissingFrom(backup: LiveUserDetails, live: LiveUserDetails): string[] {
  const have = contentItems(backup);
  return [...contentItems(live)].filter(([key]) => !have.has(key)).map(([, label]) => label);
}

/**
 * True when `live` holds nothing the backup lacks: what our own steps do (delete, deactivate, add
 * the quarantine marks) only ever makes a user emptier. An Active credential that the backup saw
 * Inactive counts as more, so it forces a fresh backup.
 */
export function isCoveredBy(live: LiveUserDetails, backup: LiveUserDetails): boolean {
  if (live.userId !== backup.userId) return false;
  if (itemsMissingFrom(backup, live).length > 0) return false;
  const activeInBackup = new Set(
    [
      ...backup.accessKeys.map((k) => [k.accessKeyId, k.status] as const),
      ...backup.sshPublicKeys.map((k) => [k.sshPublicKeyId, k.status] as const),
      ...backup.signingCertificates.map((c) => [c.certificateId, c.status] as const),
    ]
      .filter(([, status]) => status === 'Active')
      .map(([id]) => id),
  );
  const activeLive = [
    ...live.accessKeys.map((k) => [k.accessKeyId, k.status] as const),
    ...live.sshPublicKeys.map((k) => [k.sshPublicKeyId, k.status] as const),
    ...live.signingCertificates.map((c) => [c.certificateId, c.status] as const),
  ].filter(([, status]) => status === 'Active');
  return activeLive.every(([id]) => activeInBackup.has(id));
}

/** Items of `earlier` first, then those of `later` whose key is new; a key in both takes `later`'s entry. */
function unionBy<T>(earlier: readonly T[], later: readonly T[], key: (item: T) => string): T[] {
  const laterByKey = new Map(later.map((item) => [key(item), item]));
  const merged = earlier.map((item) => laterByKey.get(key(item)) ?? item);
  const earlierKeys = new Set(earlier.map(key));
  return [...merged, ...later.filter((item) => !earlierKeys.has(key(item)))];
}

/**
 * Everything the same user (same UserId) had in either read: what an earlier backup holds plus what
 * a later read found on top (added meanwhile). The later read wins for single values and statuses.
 */
export function mergeUserDetails(earlier: LiveUserDetails, later: LiveUserDetails): LiveUserDetails {
  if (earlier.userId !== later.userId) {
    throw new InternalError(`cannot merge reads of different users (${earlier.userId}, ${later.userId})`);
  }
  return {
    ...later,
    tags: unionBy(earlier.tags, later.tags, (t) => t.key),
    permissionsBoundaryArn: later.permissionsBoundaryArn ?? earlier.permissionsBoundaryArn,
    groups: unionBy(earlier.groups, later.groups, (g) => g),
    inlinePolicies: unionBy(earlier.inlinePolicies, later.inlinePolicies, (p) => p.name),
    attachedPolicyArns: unionBy(earlier.attachedPolicyArns, later.attachedPolicyArns, (a) => a),
    loginProfile: later.loginProfile.present ? later.loginProfile : earlier.loginProfile,
    accessKeys: unionBy(earlier.accessKeys, later.accessKeys, (k) => k.accessKeyId),
    mfaDevices: unionBy(earlier.mfaDevices, later.mfaDevices, (m) => m.serialNumber),
    sshPublicKeys: unionBy(earlier.sshPublicKeys, later.sshPublicKeys, (k) => k.sshPublicKeyId),
    signingCertificates: unionBy(earlier.signingCertificates, later.signingCertificates, (c) => c.certificateId),
    serviceSpecificCredentials: unionBy(
      earlier.serviceSpecificCredentials,
      later.serviceSpecificCredentials,
      (c) => c.serviceSpecificCredentialId,
    ),
  };
}

export interface EnsureBackupOptions {
  readonly dir: string;
  readonly accountId: string;
  readonly purpose: UserBackup['purpose'];
  readonly now: Date;
}

export interface EnsuredBackup {
  readonly file: string;
  readonly backup: UserBackup;
  /** false: an earlier backup of the same userId already covered everything and was kept. */
  readonly written: boolean;
}

/**
 * Keeps the newest existing backup of this userId when it covers everything the live user has
 * (a re-run after a crash: the first backup is the full one); otherwise writes a new one.
 */
export function ensureBackup(live: LiveUserDetails, options: EnsureBackupOptions): EnsuredBackup {
  let existing: string[];
  try {
    existing = listBackups(options.dir, options.accountId, live.name, live.userId);
  } catch (err) {
    throw new BackupWriteError(options.dir, err);
  }
  const newest = existing[existing.length - 1];
  if (newest) {
    const backup = readBackup(newest);
    if (isCoveredBy(live, backup.user)) return { file: newest, backup, written: false };
  }
  const backup: UserBackup = {
    schemaVersion: BACKUP_SCHEMA_VERSION,
    kind: 'iam-allowlist-user-backup',
    takenAt: options.now.toISOString(),
    accountId: options.accountId,
    purpose: options.purpose,
    user: live,
  };
  assertNoSecrets(backup);
  let time = options.now;
  let file = path.join(options.dir, backupFileName(options.accountId, live.name, live.userId, time));
  // Two backups within one millisecond (a fast re-run) must not overwrite each other.
  while (fs.existsSync(file)) {
    time = new Date(time.getTime() + 1);
    file = path.join(options.dir, backupFileName(options.accountId, live.name, live.userId, time));
  }
  try {
    writeFileAtomic(file, JSON.stringify(backup, null, 2) + '\n');
  } catch (err) {
    throw new BackupWriteError(file, err);
  }
  return { file, backup, written: true };
}
