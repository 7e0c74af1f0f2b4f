import type { IAMClient } from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import type { AwsClients } from '../aws/clients';
import { RefusedError } from '../errors';
import {
  SNAPSHOT_SCHEMA_VERSION,
  type CallerIdentity,
  type KmsRegionFacts,
  type RoleFacts,
  type ScanError,
  type Snapshot,
  type UserFacts,
} from '../model/snapshot';
import { endpointOverrides } from '../aws/endpoints';
import { readAccountAlias } from './account-alias';
import { CredentialReportIndex, UNKNOWN_ACTIVITY } from './activity';
import { partitionOf } from './arn';
import { readAuthorizationDetails, type AuthorizationDetails } from './authorization-details';
import { readBaseCallerIdentity, readCallerIdentity } from './caller';
import { readCredentialReport, type CredentialReport } from './credential-report-reader';
import { readDirectActivity } from './direct-activity';
import { scanKmsRegion } from './kms-region';
import type { InventoryPhase, ProgressEvent } from './progress';
import { listEnabledRegions, normaliseRegions } from './regions';
import { ScanErrorLog, toScanError, type ScanErrorContext } from './scan-errors';
import { readVirtualMfaAssignments } from './virtual-mfa';
import { plural } from '../plural';

export type { ProgressEvent } from './progress';

export interface InventoryOptions {
  /**
   * "all": every region enabled for the account (Account API ListRegions); otherwise exactly these, and the
   * enabled regions are still listed to record the ones left out (snapshot.unscannedRegions). An empty list
   * scans no KMS region and lists none (`init`).
   */
  readonly regions: 'all' | readonly string[];
  /**
   * The account the allowlist is pinned to: checked right after GetCallerIdentity, before any IAM or KMS
   * call; another account throws RefusedError. Default: none (any account).
   */
  readonly expectedAccountId?: string;
  /** Calls in flight at once per KMS region (regions run in parallel) and for per-user reads. Default 8. */
  readonly concurrency?: number;
  /** Recorded as takenAt. Default: the current time. */
  readonly now?: Date;
  /** Called at phase boundaries and per KMS key/region; see createProgressReporter. Default: none. */
  readonly onProgress?: (event: ProgressEvent) => void;
  /** How long to wait for GenerateCredentialReport to say COMPLETE. Default 120000 ms. */
  readonly credentialReportTimeoutMs?: number;
}

/**
 * Reads one account into a Snapshot with bulk reads only (see DESIGN.md "Bulk reads").
 *
 * Fail closed: every read that fails after the SDK's retries is recorded in snapshot.scanErrors and
 * the field it would have filled is null or left empty; the planner holds every deletion while
 * scanErrors is non-empty. Only GetCallerIdentity throws (AwsError): without it there is no account.
 *
 * Activity rule: the credential report speaks for a user when it has a row with the user's ARN and
 * creation time. Users without such a row (created after the report was generated, or recreated
 * under the same name) get per-user reads: GetUser, GetLoginProfile, ListAccessKeys,
 * GetAccessKeyLastUsed per key, ListMFADevices, ListSigningCertificates.
 *
 * MFA: assigned virtual devices come from one ListVirtualMFADevices listing. A user whose report row
 * says mfa_active but who has no virtual device has a hardware/FIDO device; its serial is not read
 * (mfaActive stays true, mfaDevices lists only virtual serials).
 */
export async function takeSnapshot(clients: AwsClients, options: InventoryOptions): Promise<Snapshot> {
  const takenAt = (options.now ?? new Date()).toISOString();
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const emit = options.onProgress ?? (() => undefined);
  const errors = new ScanErrorLog();
  const run = new Run(errors, emit);

  const [caller, baseCaller] = await run.phase('caller', () =>
    Promise.all([readCallerIdentity(clients.sts), clients.credentials === undefined ? undefined : readBaseCaller(clients, errors)]),
  );
  if (options.expectedAccountId !== undefined) refuseOtherAccount(options.expectedAccountId, caller);

  const [iamPart, kmsPart, accountAlias] = await Promise.all([
    readIamPart(clients.iam, run, concurrency, options.credentialReportTimeoutMs),
    readKmsPart(clients, run, options.regions, concurrency),
    readAccountAlias(clients.iam),
  ]);

  const scanErrors = errors.sorted();
  emit({ kind: 'done', scanErrors: scanErrors.length });
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    takenAt,
    accountId: caller.account,
    partition: partitionOf(caller.arn) ?? 'aws',
    ...(accountAlias !== undefined ? { accountAlias } : {}),
    endpointOverrides: endpointOverrides(process.env),
    caller,
    ...(baseCaller !== undefined ? { baseCaller } : {}),
    users: iamPart.users,
    roles: iamPart.roles,
    kms: kmsPart.kms,
    ...(kmsPart.unscannedRegions !== undefined ? { unscannedRegions: kmsPart.unscannedRegions } : {}),
    ...(kmsPart.unscannedRegionsError !== undefined ? { unscannedRegionsError: kmsPart.unscannedRegionsError } : {}),
    credentialReportGeneratedAt: iamPart.credentialReportGeneratedAt,
    scanErrors,
  };
}

/** The allowlist's account pin, checked before anything of the account is read. */
function refuseOtherAccount(expected: string, caller: CallerIdentity): void {
  if (caller.account === expected) return;
  throw new RefusedError(
    `the allowlist is pinned to account ${expected} but the credentials are for account ${caller.account} (${caller.arn}): ` +
      'nothing was read or changed. Use credentials (or --assume-role) for that account, or correct `account:` in the allowlist',
    ['account-pin'],
  );
}

/**
 * The identity behind the base credentials when a role is assumed. Unlike the caller, its failure is a
 * scan error (null): the run can still be planned, but holds every removal since the identity it
 * must not remove is unknown.
 */
async function readBaseCaller(clients: AwsClients, errors: ScanErrorLog): Promise<CallerIdentity | null> {
  try {
    return await readBaseCallerIdentity(clients);
  } catch (err) {
    errors.add({ service: 'sts', operation: 'GetCallerIdentity', resource: 'base credentials (--assume-role)' }, err);
    return null;
  }
}

/** Bookkeeping shared by the parts of one run: scan errors and progress. */
class Run {
  constructor(
    readonly errors: ScanErrorLog,
    readonly emit: (event: ProgressEvent) => void,
  ) {}

  async phase<T>(phase: InventoryPhase, work: () => Promise<T>, detail?: (result: T) => string): Promise<T> {
    this.emit({ kind: 'phase-start', phase });
    const result = await work();
    this.emit({ kind: 'phase-done', phase, ...(detail ? { detail: detail(result) } : {}) });
    return result;
  }

  /** The result, or null with the failure recorded as a scan error. */
  async attempt<T>(phase: InventoryPhase, context: ScanErrorContext, work: () => Promise<T>): Promise<T | null> {
    return this.phase(
      phase,
      async () => {
        try {
          return await work();
        } catch (err) {
          this.errors.add(context, err);
          return null;
        }
      },
      (result) => (result === null ? 'FAILED' : 'ok'),
    );
  }
}

interface IamPart {
  readonly users: UserFacts[];
  readonly roles: readonly RoleFacts[];
  readonly credentialReportGeneratedAt: string | null;
}

async function readIamPart(iam: IAMClient, run: Run, concurrency: number, credentialReportTimeoutMs: number | undefined): Promise<IamPart> {
  const [details, report, virtualMfa] = await Promise.all([
    run.attempt<AuthorizationDetails>('users', { service: 'iam', operation: 'GetAccountAuthorizationDetails' }, () =>
      readAuthorizationDetails(iam),
    ),
    run.attempt<CredentialReport>('credential-report', { service: 'iam', operation: 'GetCredentialReport' }, () =>
      readCredentialReport(iam, credentialReportTimeoutMs !== undefined ? { timeoutMs: credentialReportTimeoutMs } : {}),
    ),
    run.attempt('mfa', { service: 'iam', operation: 'ListVirtualMFADevices' }, () => readVirtualMfaAssignments(iam)),
  ]);
  if (!details) return { users: [], roles: [], credentialReportGeneratedAt: report?.generatedAt ?? null };

  const reportIndex = report ? new CredentialReportIndex(report.report) : null;
  const limit = pLimit(concurrency);
  const users = await run.phase(
    'activity',
    () =>
      Promise.all(
        details.users.map(async (user): Promise<UserFacts> => {
          const virtualSerials = virtualMfa?.get(user.name.toLowerCase()) ?? [];
          const row = reportIndex?.rowFor(user) ?? null;
          if (row) return { ...user, activity: row.activity, mfaDevices: virtualSerials };
          if (reportIndex) {
            const direct = await limit(async () => {
              try {
                return await readDirectActivity(iam, user.name);
              } catch (err) {
                run.errors.add({ service: 'iam', operation: 'GetUser', resource: user.arn }, err);
                return null;
              }
            });
            if (direct) return { ...user, activity: direct.activity, mfaDevices: direct.mfaDevices };
          }
          // No report (its failure is already a scan error): activity stays unknown.
          return { ...user, activity: { ...UNKNOWN_ACTIVITY, mfaActive: virtualSerials.length > 0 }, mfaDevices: virtualSerials };
        }),
      ),
    (result) => plural(result.length, 'user'),
  );
  return { users, roles: details.roles, credentialReportGeneratedAt: report?.generatedAt ?? null };
}

interface KmsPart {
  readonly kms: KmsRegionFacts[];
  readonly unscannedRegions?: readonly string[] | null;
  readonly unscannedRegionsError?: ScanError;
}

async function readKmsPart(clients: AwsClients, run: Run, requested: 'all' | readonly string[], concurrency: number): Promise<KmsPart> {
  const scan = (regions: readonly string[]): Promise<KmsRegionFacts[]> => {
    run.emit({ kind: 'regions', regions: [...regions] });
    return run.phase(
      'kms',
      () =>
        Promise.all(
          regions.map((region) => scanKmsRegion(clients.kms(region), region, { concurrency, errors: run.errors, onProgress: run.emit })),
        ),
      (facts) =>
        plural(
          facts.reduce((n, r) => n + r.keys.length, 0),
          'customer key',
        ),
    );
  };
  const context: ScanErrorContext = { service: 'account', operation: 'ListRegions' };

  if (requested === 'all') {
    const enabled = await run.attempt('regions', context, () => listEnabledRegions(clients));
    // Without the region list, scan at least the default region; the scan error holds deletions anyway.
    return { kms: await scan(enabled ?? [await clients.region()]), unscannedRegions: enabled === null ? null : [] };
  }
  const regions = normaliseRegions(requested);
  if (regions.length === 0) return { kms: await scan([]) };
  // The list is scanned as configured; the enabled regions are listed alongside to name those it leaves out.
  const [listed, kms] = await Promise.all([
    run.phase(
      'regions',
      () =>
        listEnabledRegions(clients).then(
          (enabled) => ({ enabled }),
          (err: unknown) => ({ error: toScanError(context, err) }),
        ),
      (result) => ('error' in result ? 'FAILED' : 'ok'),
    ),
    scan(regions),
  ]);
  if ('error' in listed) return { kms, unscannedRegions: null, unscannedRegionsError: listed.error };
  return { kms, unscannedRegions: listed.enabled.filter((region) => !regions.includes(region)) };
}
