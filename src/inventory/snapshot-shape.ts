import { isRecord } from '../util/record';

/**
 * A structural check of a parsed snapshot file: every field the planner reads is present with the
 * right JSON type. Returns the first problem as "path: what is wrong", or null when the shape is right.
 */
export function snapshotShapeProblem(value: unknown): string | null {
  try {
    checkSnapshot(value, 'snapshot');
    return null;
  } catch (err) {
    if (err instanceof ShapeProblem) return err.message;
    throw err;
  }
}

class ShapeProblem extends Error {}

type Check = (value: unknown, at: string) => void;

const str: Check = (v, at) => {
  if (typeof v !== 'string') fail(at, 'a string');
};
const bool: Check = (v, at) => {
  if (typeof v !== 'boolean') fail(at, 'true or false');
};
const count: Check = (v, at) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(at, 'a non-negative integer');
};
const nullable =
  (check: Check): Check =>
  (v, at) => {
    if (v !== null) check(v, at);
  };
const optional =
  (check: Check): Check =>
  (v, at) => {
    if (v !== undefined) check(v, at);
  };
const list =
  (check: Check): Check =>
  (v, at) => {
    if (!Array.isArray(v)) fail(at, 'a list');
    (v as unknown[]).forEach((item, i) => check(item, `${at}[${i}]`));
  };
const oneOf =
  (...allowed: string[]): Check =>
  (v, at) => {
    if (typeof v !== 'string' || !allowed.includes(v)) fail(at, `one of ${allowed.join(', ')}`);
  };
const stringMap: Check = (v, at) => {
  if (!isRecord(v)) fail(at, 'an object');
  for (const [k, item] of Object.entries(v as object)) str(item, `${at}.${k}`);
};
const object =
  (fields: Record<string, Check>): Check =>
  (v, at) => {
    if (!isRecord(v)) fail(at, 'an object');
    for (const [name, check] of Object.entries(fields)) check((v as Record<string, unknown>)[name], `${at}.${name}`);
  };

const accessKey = object({
  accessKeyId: nullable(str),
  active: bool,
  lastRotated: nullable(str),
  lastUsed: nullable(str),
  lastUsedService: nullable(str),
});

const user = object({
  name: str,
  userId: str,
  arn: str,
  path: str,
  createDate: str,
  tags: stringMap,
  permissionsBoundaryArn: nullable(str),
  groups: list(str),
  inlinePolicyNames: list(str),
  inlinePolicyDocuments: optional(stringMap),
  attachedPolicyArns: list(str),
  activity: object({
    passwordEnabled: nullable(bool),
    passwordLastUsed: nullable(str),
    mfaActive: bool,
    accessKeys: list(accessKey),
    activeCertificates: count,
  }),
  mfaDevices: list(str),
});

const grant = object({
  grantId: str,
  name: nullable(str),
  granteePrincipal: nullable(str),
  retiringPrincipal: nullable(str),
  operations: list(str),
});

const key = object({
  keyId: str,
  arn: str,
  region: str,
  keyState: nullable(str),
  multiRegion: nullable(bool),
  aliases: list(str),
  policy: nullable(str),
  grants: nullable(list(grant)),
});

const callerIdentity = object({
  account: str,
  arn: str,
  userId: str,
  kind: oneOf('user', 'assumed-role', 'root', 'other'),
  userName: optional(str),
});

const scanError = object({
  service: oneOf('iam', 'kms', 'sts', 'account'),
  operation: str,
  region: optional(str),
  resource: optional(str),
  code: str,
  message: str,
});

const checkSnapshot = object({
  schemaVersion: count,
  takenAt: str,
  accountId: str,
  partition: str,
  accountAlias: optional(nullable(str)),
  endpointOverrides: optional(list(object({ variable: str, url: str }))),
  caller: callerIdentity,
  baseCaller: optional(nullable(callerIdentity)),
  users: list(user),
  roles: list(object({ name: str, arn: str, roleId: str, trustPolicy: str })),
  kms: list(object({ region: str, keys: list(key), awsManagedKeysSkipped: count })),
  credentialReportGeneratedAt: nullable(str),
  unscannedRegions: optional(nullable(list(str))),
  unscannedRegionsError: optional(scanError),
  scanErrors: list(scanError),
});

function fail(at: string, expected: string): never {
  throw new ShapeProblem(`${at}: expected ${expected}`);
}
