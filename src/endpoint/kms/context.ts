import { kmsErrors } from './errors';
import { RandomBytes } from './identifiers';
import { KmsKey, KmsRegionState } from './state';

/** Everything one KMS call needs: where it runs, who calls, and the time. */
export interface KmsCallContext {
  readonly accountId: string;
  readonly region: string;
  readonly state: KmsRegionState;
  readonly callerArn: string;
  /** Epoch milliseconds. */
  readonly now: number;
  readonly randomBytes: RandomBytes;
}

/** Epoch seconds, as the KMS JSON protocol serialises timestamps. */
export function epochSeconds(epochMillis: number): number {
  return epochMillis / 1000;
}

/**
 * An AWS managed key's policy lets the account only read it (and revoke grants), so every
 * other management call on it is denied.
 */
export function requireCustomerManaged(context: KmsCallContext, key: KmsKey, action: string): void {
  if (key.keyManager === 'AWS') throw kmsErrors.accessDenied(context.callerArn, action, key.arn);
}

export function requireNotPendingDeletion(key: KmsKey): void {
  if (key.keyState === 'PendingDeletion') throw kmsErrors.invalidState(`${key.arn} is pending deletion.`);
}
