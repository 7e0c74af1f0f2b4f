import { hygieneSettings } from '../allowlist/normalize';
import type { Allowlist } from '../model/allowlist';
import type { KmsKeyFacts, RoleFacts, Snapshot, UserFacts } from '../model/snapshot';
import { parsePolicyDocument, type PolicyStatement } from '../policy/document';
import { mayReferenceUsers, type PrincipalIdentity } from '../policy/principal';
import type { AllowlistMatch } from './match';

/** Tuning knobs of the planner; the allowlist carries everything a team configures. */
export interface PlanOptions {
  /** Exceptions and declarations expiring within this many days produce a notice. Default 14. */
  readonly expiringSoonDays?: number;
  /** An active access key not rotated for more than this many days is flagged. Default: the allowlist's hygiene setting. */
  readonly accessKeyMaxAgeDays?: number;
  /** A never-used active access key older than this many days is flagged. Default: the allowlist's hygiene setting. */
  readonly unusedAccessKeyGraceDays?: number;
}

export type ResolvedPlanOptions = Required<PlanOptions>;

const DEFAULT_EXPIRING_SOON_DAYS = 14;

export interface ParsedKey {
  readonly key: KmsKeyFacts;
  /** null when the policy is missing or could not be understood (the run fails closed). */
  readonly statements: readonly PolicyStatement[] | null;
  /** The statements that could reference some user (see mayReferenceUsers); the rest never do. */
  readonly userStatements: readonly PolicyStatement[];
}

export interface ParsedRole {
  readonly role: RoleFacts;
  readonly statements: readonly PolicyStatement[] | null;
  /** The statements that could reference some user (see mayReferenceUsers). */
  readonly userStatements: readonly PolicyStatement[];
}

/** A policy the planner could not analyse; every one of these makes the scan incomplete. */
export interface PolicyProblem {
  readonly resource: string;
  readonly region: string | null;
  readonly message: string;
}

/** Everything the rules and guards read, computed once per plan. */
export interface PlanContext {
  readonly snapshot: Snapshot;
  readonly allowlist: Allowlist;
  readonly now: Date;
  readonly options: ResolvedPlanOptions;
  readonly keys: readonly ParsedKey[];
  /**
   * Indexes into `keys` of the keys whose grants name a principal, by that principal lower-cased (ARNs match
   * case-insensitively) and as written (unique ids match exactly): a user's grants are found without reading
   * every grant of the account for every user.
   */
  readonly keysByGrantPrincipal: {
    readonly lowerCase: ReadonlyMap<string, readonly number[]>;
    readonly exact: ReadonlyMap<string, readonly number[]>;
  };
  readonly roles: readonly ParsedRole[];
  readonly policyProblems: readonly PolicyProblem[];
  /** Every user and role of the account, for "does this wildcard match anyone else?". */
  readonly principals: readonly PrincipalIdentity[];
}

/** What a rule sees: the plan context plus how this user matches the allowlist. */
export interface RuleContext extends PlanContext {
  readonly match: AllowlistMatch;
}

export function userIdentity(user: UserFacts): PrincipalIdentity {
  return { name: user.name, arn: user.arn, id: user.userId };
}

export function buildContext(snapshot: Snapshot, allowlist: Allowlist, now: Date, options: PlanOptions = {}): PlanContext {
  const policyProblems: PolicyProblem[] = [];
  const keys: ParsedKey[] = [];
  for (const region of snapshot.kms) {
    for (const key of region.keys) {
      let statements: readonly PolicyStatement[] | null = null;
      if (key.policy === null) {
        policyProblems.push({ resource: key.arn, region: key.region, message: `the key policy of ${key.arn} could not be read` });
      } else {
        const parsed = parsePolicyDocument(key.policy);
        if (parsed.ok) statements = parsed.statements;
        else
          policyProblems.push({
            resource: key.arn,
            region: key.region,
            message: `the key policy of ${key.arn} cannot be analysed: ${parsed.error}`,
          });
      }
      if (key.grants === null) {
        policyProblems.push({ resource: key.arn, region: key.region, message: `the grants of ${key.arn} could not be listed` });
      }
      const userStatements = (statements ?? []).filter((statement) => mayReferenceUsers(statement, snapshot.accountId));
      keys.push({ key, statements, userStatements });
    }
  }
  const keysByGrantPrincipal = { lowerCase: new Map<string, number[]>(), exact: new Map<string, number[]>() };
  keys.forEach(({ key }, keyIndex) => {
    for (const grant of key.grants ?? []) {
      for (const principal of [grant.granteePrincipal, grant.retiringPrincipal]) {
        if (principal === null) continue;
        addKeyIndex(keysByGrantPrincipal.lowerCase, principal.toLowerCase(), keyIndex);
        addKeyIndex(keysByGrantPrincipal.exact, principal, keyIndex);
      }
    }
  });
  const roles: ParsedRole[] = snapshot.roles.map((role) => {
    const parsed = parsePolicyDocument(role.trustPolicy);
    if (!parsed.ok) {
      policyProblems.push({
        resource: role.arn,
        region: null,
        message: `the trust policy of role ${role.name} cannot be analysed: ${parsed.error}`,
      });
    }
    const statements = parsed.ok ? parsed.statements : null;
    const userStatements = (statements ?? []).filter((statement) => mayReferenceUsers(statement, snapshot.accountId));
    return { role, statements, userStatements };
  });
  const principals: PrincipalIdentity[] = [
    ...snapshot.users.map(userIdentity),
    ...snapshot.roles.map((role) => ({ name: null, arn: role.arn, id: role.roleId })),
  ];
  return {
    snapshot,
    allowlist,
    now,
    options: {
      expiringSoonDays: DEFAULT_EXPIRING_SOON_DAYS,
      ...hygieneSettings(allowlist.defaults, allowlist.hygiene),
      ...stripUndefined(options),
    },
    keys,
    keysByGrantPrincipal,
    roles,
    policyProblems,
    principals,
  };
}

/** Keys are added in ascending order, so each list stays sorted and a key is listed once. */
function addKeyIndex(index: Map<string, number[]>, principal: string, keyIndex: number): void {
  const indexes = index.get(principal);
  if (indexes === undefined) index.set(principal, [keyIndex]);
  else if (indexes[indexes.length - 1] !== keyIndex) indexes.push(keyIndex);
}

function stripUndefined(options: PlanOptions): PlanOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as PlanOptions;
}
