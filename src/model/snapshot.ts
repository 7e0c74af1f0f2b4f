/**
 * A plain, JSON-serialisable picture of one AWS account at one moment.
 * Produced by src/inventory (the only reader of AWS), consumed by the pure planner,
 * saved with `--save-snapshot` and loaded with `--snapshot` for offline plans.
 */

export const SNAPSHOT_SCHEMA_VERSION = 1 as const;

export interface Snapshot {
  readonly schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  /** ISO-8601 time the inventory started. */
  readonly takenAt: string;
  readonly accountId: string;
  /** "aws", "aws-cn", "aws-us-gov": taken from the caller ARN. */
  readonly partition: string;
  /**
   * Optional (absent in older snapshots, and when iam:ListAccountAliases failed: it is for display only, never a
   * scan error). The account's alias; null when it has none.
   */
  readonly accountAlias?: string | null;
  /**
   * Optional (absent in older snapshots): the AWS_ENDPOINT_URL* overrides in effect while the account was read, so a
   * plan (also an offline one) shows that the facts came from somewhere else than AWS. [] when there were none.
   */
  readonly endpointOverrides?: readonly EndpointOverride[];
  readonly caller: CallerIdentity;
  /**
   * Optional (absent in snapshots of runs without --assume-role, and in older snapshots).
   * With --assume-role, `caller` is the assumed role; this is the identity that owns the base
   * credentials that assumed it (e.g. the CI user), which the caller guard protects too.
   * null: a role was assumed but the base identity could not be read (also recorded in scanErrors).
   */
  readonly baseCaller?: CallerIdentity | null;
  readonly users: readonly UserFacts[];
  readonly roles: readonly RoleFacts[];
  /** One entry per scanned region, including regions whose scan failed. */
  readonly kms: readonly KmsRegionFacts[];
  /**
   * Optional (absent in snapshots of older versions, and when no KMS region was asked for): regions enabled for
   * the account (Account ListRegions) that the KMS scan left out because guards.regions was a list without
   * them, sorted by name. [] when none were left out. null when the enabled regions could not be listed: with
   * a region list the failure is in `unscannedRegionsError` (it is not a scan error, so that
   * guards.unscannedRegions: allow can accept it); with `regions: all` it is in scanErrors.
   */
  readonly unscannedRegions?: readonly string[] | null;
  /** The failed ListRegions call when unscannedRegions is null because a region list's enabled regions are unknown. */
  readonly unscannedRegionsError?: ScanError;
  /** When the credential report used for activity was generated (null: no report could be read). */
  readonly credentialReportGeneratedAt: string | null;
  /**
   * Everything that could not be read. The planner fails closed on any entry here:
   * a non-empty list holds every deletion of the run.
   */
  readonly scanErrors: readonly ScanError[];
}

/** An endpoint override the SDK honoured: the environment variable (e.g. AWS_ENDPOINT_URL_STS) and its URL. */
export interface EndpointOverride {
  readonly variable: string;
  readonly url: string;
}

export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  /** AIDA… for a user, AROA…:session for an assumed role. */
  readonly userId: string;
  readonly kind: 'user' | 'assumed-role' | 'root' | 'other';
  /** Set when kind === 'user'. */
  readonly userName?: string;
}

export interface UserFacts {
  readonly name: string;
  /** Unique id (AIDA…). A policy that names this id keeps naming it after the user is deleted. */
  readonly userId: string;
  readonly arn: string;
  readonly path: string;
  readonly createDate: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly permissionsBoundaryArn: string | null;
  readonly groups: readonly string[];
  readonly inlinePolicyNames: readonly string[];
  /**
   * Optional (absent in older snapshots): the user's inline policy documents by policy name, as decoded
   * JSON text, from GetAccountAuthorizationDetails. Lets the planner check that a quarantine marker
   * policy really is the deny-all. Adds each document's size (at most 2 KB per user in AWS) to the snapshot.
   */
  readonly inlinePolicyDocuments?: Readonly<Record<string, string>>;
  readonly attachedPolicyArns: readonly string[];
  readonly activity: UserActivity;
  /** Serial numbers of MFA devices assigned to the user (virtual and hardware). */
  readonly mfaDevices: readonly string[];
}

/** From the credential report (plus GetAccessKeyLastUsed only where the report is not enough). */
export interface UserActivity {
  /** false also when the user has no login profile. null: unknown (no report row). */
  readonly passwordEnabled: boolean | null;
  /** ISO time; null when never used or unknown ("no_information", "N/A"). */
  readonly passwordLastUsed: string | null;
  readonly mfaActive: boolean;
  readonly accessKeys: readonly AccessKeyActivity[];
  /** Active signing certificates (cert_1_active / cert_2_active). */
  readonly activeCertificates: number;
}

export interface AccessKeyActivity {
  /** Access key id when known (from ListAccessKeys during detail reads), otherwise null. */
  readonly accessKeyId: string | null;
  readonly active: boolean;
  /** ISO time the key was created or last rotated. */
  readonly lastRotated: string | null;
  /** ISO time of last use; null when never used ("N/A"). */
  readonly lastUsed: string | null;
  readonly lastUsedService: string | null;
}

export interface RoleFacts {
  readonly name: string;
  readonly arn: string;
  readonly roleId: string;
  /** The trust policy (AssumeRolePolicyDocument) as decoded JSON text. */
  readonly trustPolicy: string;
}

export interface KmsRegionFacts {
  readonly region: string;
  /** Customer-managed keys only. AWS-managed keys are counted, not kept. */
  readonly keys: readonly KmsKeyFacts[];
  readonly awsManagedKeysSkipped: number;
}

export interface KmsKeyFacts {
  readonly keyId: string;
  readonly arn: string;
  readonly region: string;
  /**
   * Enabled | Disabled | PendingDeletion | PendingImport | Unavailable | Creating | ...; null: not described.
   * A key's state changes no decision (a disabled or pending-deletion key that names a user still holds it), so the
   * scan never calls DescribeKey; a plan shown to a person fills it for the keys its findings name
   * (src/inventory/describe-keys.ts; a failed DescribeKey leaves null and is no scan error). Older snapshots may hold "Unknown".
   */
  readonly keyState: string | null;
  /** From DescribeKey, as keyState; null: not described. */
  readonly multiRegion: boolean | null;
  readonly aliases: readonly string[];
  /** The "default" key policy document as JSON text; null when it could not be read (see scanErrors). */
  readonly policy: string | null;
  /** null when the grants could not be listed (see scanErrors). */
  readonly grants: readonly KmsGrantFacts[] | null;
}

export interface KmsGrantFacts {
  readonly grantId: string;
  readonly name: string | null;
  readonly granteePrincipal: string | null;
  readonly retiringPrincipal: string | null;
  readonly operations: readonly string[];
}

export interface ScanError {
  readonly service: 'iam' | 'kms' | 'sts' | 'account';
  /** e.g. "ListKeys", "GetKeyPolicy". */
  readonly operation: string;
  readonly region?: string;
  /** ARN or id of what could not be read, when there is one. */
  readonly resource?: string;
  /** AWS error code (AccessDeniedException, ThrottlingException, ...) or "Error". */
  readonly code: string;
  readonly message: string;
}
