import { compareText } from '../../util/text';

/** In-memory KMS state of one account, kept separately per region. */

export type KmsKeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';
export type KmsKeyManager = 'CUSTOMER' | 'AWS';

export interface KmsTag {
  readonly TagKey: string;
  readonly TagValue: string;
}

export interface KmsKey {
  readonly keyId: string;
  readonly arn: string;
  readonly region: string;
  /** Epoch milliseconds. */
  readonly creationDate: number;
  readonly keyManager: KmsKeyManager;
  readonly multiRegion: boolean;
  readonly keySpec: string;
  readonly keyUsage: string;
  description: string;
  /** The key policy exactly as it was put (GetKeyPolicy returns this text). */
  policy: string;
  keyState: KmsKeyState;
  /** Epoch milliseconds; set while PendingDeletion. */
  deletionDate?: number;
  pendingWindowInDays?: number;
  /** Tag key -> value. */
  readonly tags: Map<string, string>;
  /** Grants of this key in creation order (ascending sequence numbers). */
  readonly grants: KmsGrant[];
}

export interface KmsGrant {
  readonly grantId: string;
  readonly grantToken: string;
  /** Increasing per region; orders grants for pagination. */
  readonly sequence: number;
  readonly keyId: string;
  readonly name?: string;
  /** Epoch milliseconds. */
  readonly creationDate: number;
  readonly granteePrincipal: string;
  readonly retiringPrincipal?: string;
  readonly operations: readonly string[];
  readonly constraints?: Record<string, unknown>;
}

export interface KmsAlias {
  readonly aliasName: string;
  readonly aliasArn: string;
  targetKeyId: string;
  /** Epoch milliseconds. */
  readonly creationDate: number;
  lastUpdatedDate: number;
}

export class KmsRegionState {
  readonly keys = new Map<string, KmsKey>();
  readonly aliases = new Map<string, KmsAlias>();
  readonly grantsById = new Map<string, KmsGrant>();
  readonly grantsByToken = new Map<string, KmsGrant>();
  private grantSequence = 0;
  private sortedKeyIdsCache: string[] | undefined;
  private sortedAliasNamesCache: string[] | undefined;

  constructor(readonly region: string) {}

  nextGrantSequence(): number {
    this.grantSequence += 1;
    return this.grantSequence;
  }

  addKey(key: KmsKey): void {
    this.keys.set(key.keyId, key);
    this.sortedKeyIdsCache = undefined;
  }

  setAlias(alias: KmsAlias): void {
    if (!this.aliases.has(alias.aliasName)) this.sortedAliasNamesCache = undefined;
    this.aliases.set(alias.aliasName, alias);
  }

  deleteAlias(aliasName: string): void {
    if (this.aliases.delete(aliasName)) this.sortedAliasNamesCache = undefined;
  }

  addGrant(key: KmsKey, grant: KmsGrant): void {
    key.grants.push(grant);
    this.grantsById.set(grant.grantId, grant);
    this.grantsByToken.set(grant.grantToken, grant);
  }

  removeGrant(grant: KmsGrant): void {
    const key = this.keys.get(grant.keyId);
    if (key) {
      const index = key.grants.indexOf(grant);
      if (index >= 0) key.grants.splice(index, 1);
    }
    this.grantsById.delete(grant.grantId);
    this.grantsByToken.delete(grant.grantToken);
  }

  /** Key ids in ascending order (cached; ListKeys pages through this). */
  sortedKeyIds(): readonly string[] {
    this.sortedKeyIdsCache ??= [...this.keys.keys()].sort(compareText);
    return this.sortedKeyIdsCache;
  }

  /** Alias names in ascending order (cached). */
  sortedAliasNames(): readonly string[] {
    this.sortedAliasNamesCache ??= [...this.aliases.keys()].sort(compareText);
    return this.sortedAliasNamesCache;
  }
}
