import { createHash } from 'crypto';
import type { CallerConfig } from './api';
import { IamAccount } from './iam/account';
import { KmsService } from './kms/service';
import { Prng } from './prng';

export type RegionOptStatus = 'ENABLED' | 'ENABLING' | 'DISABLING' | 'DISABLED' | 'ENABLED_BY_DEFAULT';

export interface AccountRegion {
  readonly regionName: string;
  readonly status: RegionOptStatus;
}

/** What GetCallerIdentity answers, derived from the configured caller. */
export interface ResolvedCaller {
  readonly arn: string;
  readonly userId: string;
  readonly account: string;
  /** Set for a user caller. */
  readonly userName?: string;
  /** false when the configured user does not exist (its credentials would be invalid). */
  readonly exists: boolean;
}

/** Regions of a fresh empty endpoint: the sandbox's three enabled regions plus a few disabled opt-in ones. */
export const DEFAULT_REGIONS: readonly AccountRegion[] = [
  { regionName: 'us-east-1', status: 'ENABLED_BY_DEFAULT' },
  { regionName: 'eu-west-1', status: 'ENABLED_BY_DEFAULT' },
  { regionName: 'ap-southeast-2', status: 'ENABLED' },
  { regionName: 'af-south-1', status: 'DISABLED' },
  { regionName: 'ap-east-1', status: 'DISABLED' },
  { regionName: 'me-south-1', status: 'DISABLED' },
  { regionName: 'eu-south-2', status: 'DISABLED' },
];

export const DEFAULT_CALLER: CallerConfig = { kind: 'assumed-role', roleName: 'OrganizationAccountAccessRole', sessionName: 'local' };

/**
 * Everything the local endpoint knows about its one account: IAM, KMS per region, the account's
 * regions and who is calling. Exposed as `endpoint.state` for fast seeding without HTTP.
 */
export class EndpointState {
  readonly iam: IamAccount;
  readonly kms: KmsService;
  regions: AccountRegion[] = [...DEFAULT_REGIONS];
  caller: CallerConfig = DEFAULT_CALLER;
  /** Temporary access key ids handed out by sts:AssumeRole, and whom they stand for. */
  readonly sessions = new Map<string, CallerConfig>();
  /** The account's clock (IAM and KMS dates, credential report age). Replace it to move time in tests. */
  now: () => Date = () => new Date();
  private kmsPrng = new Prng(1);

  constructor(readonly accountId: string) {
    this.iam = new IamAccount({ accountId, now: () => this.now() });
    this.kms = new KmsService(accountId, { now: () => this.now(), random: () => this.kmsPrng.next() });
  }

  /** Empties the account (no users, keys, roles) and restores default regions, caller and clock. */
  clear(): void {
    this.iam.reset();
    this.kms.reset();
    this.kmsPrng = new Prng(1);
    this.regions = [...DEFAULT_REGIONS];
    this.caller = DEFAULT_CALLER;
    this.sessions.clear();
    this.now = () => new Date();
  }

  enabledRegions(): string[] {
    return this.regions.filter((r) => r.status === 'ENABLED' || r.status === 'ENABLED_BY_DEFAULT').map((r) => r.regionName);
  }

  /** The caller of a request: the session its access key belongs to, else the configured caller. */
  resolveCaller(accessKeyId?: string): ResolvedCaller {
    const caller = (accessKeyId !== undefined ? this.sessions.get(accessKeyId) : undefined) ?? this.caller;
    if (caller.kind === 'user') {
      const user = this.iam.users.get(caller.userName.toLowerCase());
      return {
        arn: user?.arn ?? `arn:aws:iam::${this.accountId}:user/${caller.userName}`,
        userId: user?.userId ?? stableId('AIDA', caller.userName),
        account: this.accountId,
        userName: user?.name ?? caller.userName,
        exists: user !== undefined,
      };
    }
    const role = this.iam.roles.get(caller.roleName.toLowerCase());
    return {
      arn: `arn:aws:sts::${this.accountId}:assumed-role/${role?.name ?? caller.roleName}/${caller.sessionName}`,
      userId: `${role?.roleId ?? stableId('AROA', caller.roleName)}:${caller.sessionName}`,
      account: this.accountId,
      exists: true,
    };
  }
}

/** An id for a principal that is not in the account (e.g. a role outside it), stable per name. */
function stableId(prefix: string, name: string): string {
  const digest = createHash('sha256').update(name.toLowerCase()).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = prefix;
  for (let i = 0; i < 17; i++) out += alphabet[digest[i] % 32];
  return out;
}
