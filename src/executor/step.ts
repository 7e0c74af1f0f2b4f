import type { IAMClient, User } from '@aws-sdk/client-iam';
import type { ApiCaller, DeclaredStep } from './api-calls';
import type { EnsuredBackup } from './backup';
import type { LiveCredentialLists, LiveUserDetails, ScannedUser, ScannedUserFacts } from './read-user';

/**
 * The fresh re-check of one action. `scanned`: the user in the scan the re-check was evaluated on (the
 * run's bounded-age re-check scan), from which a deletion's backup takes what the bulk reads hold.
 */
export type RecheckResult =
  | {
      readonly ok: true;
      readonly scanned?: ScannedUser;
      /**
       * The user's own reads (the preflight GetUser, the credential lists) began before the scan this re-check
       * was judged on had answered: the recheck step reads GetUser (UserId, tags, boundary) and the access keys
       * (their states feed the recent-use check) again, so the change acts on reads made after the re-check.
       */
      readonly readAgain?: boolean;
    }
  | { readonly ok: false; readonly reasons: readonly string[] };

/**
 * One idempotent unit of work. Tables of steps are data: the executor runs them in order, the
 * least-privilege policy is generated from their `permissions`, and the ApiCaller refuses any call
 * a running step did not declare.
 */
export interface Step<C> extends DeclaredStep {
  readonly description: string;
  /** Every IAM/STS action `run` may call, e.g. ['iam:ListAccessKeys', 'iam:DeleteAccessKey']. */
  readonly permissions: readonly string[];
  run(ctx: C): Promise<void>;
}

/** What delete and quarantine steps work with. */
export interface StepContext {
  readonly iam: IAMClient;
  readonly api: ApiCaller;
  readonly accountId: string;
  readonly userName: string;
  /** The UserId planned and confirmed live before the first step. */
  readonly userId: string;
  readonly purpose: 'delete' | 'quarantine';
  readonly backupDir: string;
  readonly now: () => Date;
  /** Value of the iam-allowlist:reason tag (quarantine). */
  readonly quarantineReason: string;
  /**
   * Refuse when an Active access key was used within this many days (asked live with
   * GetAccessKeyLastUsed after the backup read). Undefined: no live check.
   */
  readonly recentlyActiveDays?: number;
  /** The fresh re-check of the guards for this action (the recheck step calls it, right before the backup). */
  readonly recheck: () => Promise<RecheckResult>;
  /** The preflight GetUser answer (the UserId check). */
  readonly preflightUser: User;
  /** The user in a scan given with the action (ExecutorContext.scannedUser), used when the re-check names none. */
  readonly givenScan?: ScannedUser;
  /** Set by the list-credentials step (deletion): the live lists read while the re-check scan is taken; null: user gone. */
  listed?: LiveCredentialLists | null;
  /**
   * Set by the recheck step: the user in the run's bounded-age re-check scan, with the preflight GetUser
   * answer: a deletion's backup read takes from it what the bulk reads returned (readUserForAction).
   * Undefined: read in full.
   */
  scanned?: ScannedUserFacts;
  /** Set by the backup step. Later steps use it for what a crashed run already made invisible. */
  backup: EnsuredBackup | null;
  /**
   * The backup step's read of the live user in this run (null before it, or when the user was gone).
   * The removal steps act on it instead of listing each kind again.
   */
  live?: LiveUserDetails | null;
  /** Facts worth telling the operator, collected by the running step. */
  readonly notes: string[];
}

/** Actions sorted and without duplicates, as policies and step declarations list them. */
export function sortedUnique(actions: Iterable<string>): string[] {
  return [...new Set(actions)].sort();
}
