import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { addAlias, AWS_ALIAS_PREFIX, createAlias, deleteAlias, listAliases, updateAlias } from './aliases';
import { KmsCallContext } from './context';
import { kmsErrors } from './errors';
import { addGrant, createGrant, listGrants, listRetirableGrants, retireGrant, revokeGrant } from './grants';
import { RandomBytes, randomBytesFrom, resolveKey } from './identifiers';
import { getKeyPolicy, listKeyPolicies, putKeyPolicy } from './key-policy-operations';
import {
  addKey,
  cancelKeyDeletion,
  createKey,
  describeKey,
  disableKey,
  enableKey,
  listKeys,
  scheduleKeyDeletion,
  updateKeyDescription,
} from './keys';
import { RequestBody } from './params';
import { KmsRegionState } from './state';
import { listResourceTags, tagResource, untagResource } from './tags';

/** A key created directly (seeding, benchmarks), bypassing the customer-facing checks. */
export interface KmsKeySeed {
  /** Default: account root may do kms:* (or the AWS managed key policy when keyManager is "AWS"). */
  policy?: string;
  description?: string;
  /** Default "CUSTOMER". */
  keyManager?: 'CUSTOMER' | 'AWS';
  /** Default false; a multi-Region key id starts with "mrk-". */
  multiRegion?: boolean;
  /** Alias names with their "alias/" prefix; "alias/aws/..." is allowed here. */
  aliases?: string[];
  /** Default "Enabled"; "PendingDeletion" schedules deletion 30 days out. */
  keyState?: 'Enabled' | 'Disabled' | 'PendingDeletion';
  /** Default: a fresh UUID (or mrk- id). */
  keyId?: string;
}

export interface KmsGrantSeed {
  granteePrincipal: string;
  retiringPrincipal?: string;
  operations: string[];
  name?: string;
}

export interface KmsServiceOptions {
  /** Clock for creation and deletion dates. Default: the system clock. */
  readonly now?: () => Date;
  /**
   * Float generator in [0, 1) for key ids, grant ids and grant tokens, e.g. a seeded PRNG for
   * reproducible runs. Default: node:crypto random bytes.
   */
  readonly random?: () => number;
}

type Operation = (context: KmsCallContext, body: RequestBody) => unknown;

const READ_OPERATIONS: Record<string, Operation> = {
  DescribeKey: describeKey,
  ListKeys: listKeys,
  ListAliases: listAliases,
  GetKeyPolicy: getKeyPolicy,
  ListKeyPolicies: listKeyPolicies,
  ListGrants: listGrants,
  ListRetirableGrants: listRetirableGrants,
  ListResourceTags: listResourceTags,
};

const MUTATING_OPERATIONS: Record<string, Operation> = {
  CreateKey: createKey,
  CreateAlias: createAlias,
  UpdateAlias: updateAlias,
  DeleteAlias: deleteAlias,
  PutKeyPolicy: putKeyPolicy,
  CreateGrant: createGrant,
  RetireGrant: retireGrant,
  RevokeGrant: revokeGrant,
  EnableKey: enableKey,
  DisableKey: disableKey,
  ScheduleKeyDeletion: scheduleKeyDeletion,
  CancelKeyDeletion: cancelKeyDeletion,
  UpdateKeyDescription: updateKeyDescription,
  TagResource: tagResource,
  UntagResource: untagResource,
};

/**
 * The KMS service of the local endpoint: one account, state kept per region. The HTTP layer
 * parses `X-Amz-Target: TrentService.<Operation>` and the region, and renders results and
 * ServiceErrors as KMS JSON 1.1.
 */
export class KmsService {
  private readonly regions = new Map<string, KmsRegionState>();
  private readonly clock: () => Date;
  private readonly randomBytes: RandomBytes;

  constructor(
    readonly accountId: string,
    options: KmsServiceOptions = {},
  ) {
    this.clock = options.now ?? (() => new Date());
    this.randomBytes = options.random ? randomBytesFrom(options.random) : (size) => cryptoRandomBytes(size);
  }

  isMutating(operation: string): boolean {
    return Object.prototype.hasOwnProperty.call(MUTATING_OPERATIONS, operation);
  }

  /** True when `handle` implements the operation. */
  supports(operation: string): boolean {
    return this.isMutating(operation) || Object.prototype.hasOwnProperty.call(READ_OPERATIONS, operation);
  }

  /** One call; body is the parsed JSON request; returns the JSON-serialisable result or throws ServiceError. */
  handle(region: string, operation: string, body: Record<string, unknown>, caller: { arn: string }): unknown {
    const run = Object.prototype.hasOwnProperty.call(MUTATING_OPERATIONS, operation)
      ? MUTATING_OPERATIONS[operation]
      : Object.prototype.hasOwnProperty.call(READ_OPERATIONS, operation)
        ? READ_OPERATIONS[operation]
        : undefined;
    if (!run) throw kmsErrors.unknownOperation(operation);
    return run(this.context(region, caller.arn), body ?? {});
  }

  reset(): void {
    this.regions.clear();
  }

  createKey(region: string, seed: KmsKeySeed = {}): { keyId: string; arn: string } {
    const context = this.context(region, `arn:aws:iam::${this.accountId}:root`);
    const awsAlias = seed.aliases?.find((alias) => alias.startsWith(AWS_ALIAS_PREFIX));
    const key = addKey(context, {
      policy: seed.policy,
      description: seed.description,
      keyManager: seed.keyManager,
      multiRegion: seed.multiRegion,
      keyState: seed.keyState,
      keyId: seed.keyId,
      awsService: awsAlias?.slice(AWS_ALIAS_PREFIX.length),
    });
    for (const aliasName of seed.aliases ?? []) addAlias(context, aliasName, key);
    return { keyId: key.keyId, arn: key.arn };
  }

  /** Grants on any key (AWS managed too, as services do); the key may be named by id, ARN or alias. */
  createGrant(region: string, keyIdOrArn: string, seed: KmsGrantSeed): { grantId: string; grantToken: string } {
    const context = this.context(region, `arn:aws:iam::${this.accountId}:root`);
    const key = resolveKey(context, keyIdOrArn, 'keyOrAlias');
    const grant = addGrant(context, key, seed);
    return { grantId: grant.grantId, grantToken: grant.grantToken };
  }

  /** The state of one region (created empty on first use); for tests and inspection. */
  regionState(region: string): KmsRegionState {
    let state = this.regions.get(region);
    if (!state) {
      state = new KmsRegionState(region);
      this.regions.set(region, state);
    }
    return state;
  }

  private context(region: string, callerArn: string): KmsCallContext {
    return {
      accountId: this.accountId,
      region,
      state: this.regionState(region),
      callerArn,
      now: this.clock().getTime(),
      randomBytes: this.randomBytes,
    };
  }
}
