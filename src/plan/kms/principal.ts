/**
 * Does a policy statement name a particular IAM identity? Shared by the KMS key-policy guards and the
 * role-trust guard. See DESIGN.md "KMS reference analysis" for the pitfalls handled here.
 *
 * Decisions (documented for reviewers):
 * - A Deny statement never makes a user a dependency: deleting a user that a Deny names removes no
 *   access anyone relies on, so Deny statements are not references. Exception: NotPrincipal.
 * - NotPrincipal (with Allow or Deny) cannot be proven safe and is a reference for every user.
 * - The account root / bare account id and an unconditional "*" grant to the account or everyone,
 *   not to a particular user: not a reference. They do make identity conditions meaningful:
 *   "*" or the account root plus a Condition on aws:PrincipalArn / aws:username / aws:userid that the
 *   user satisfies is a reference.
 * - Condition clauses are ANDed as in AWS: every positive identity clause must be satisfiable by the
 *   user and no negated identity clause (StringNotEquals, ArnNotLike, ...) may exclude it.
 * - All comparisons are case-insensitive; ArnEquals/ArnLike/StringLike honour `*` and `?`
 *   (ArnEquals accepts wildcards in AWS too); StringEquals compares literally.
 */
import { globMatches, hasWildcard } from './glob';
import { describeStatement, type ConditionClause, type PolicyStatement, type PrincipalEntry } from './policy-document';

/** The identity a policy is checked against: an IAM user (or, for "who else", a role). */
export interface PrincipalIdentity {
  /** aws:username; null for roles (the key is absent for them). */
  readonly name: string | null;
  readonly arn: string;
  /** Unique id: AIDA… for users, AROA… for roles. */
  readonly id: string;
}

export type PrincipalScope = 'names-identity' | 'whole-account' | 'everyone' | 'other';

const ROOT_ARN = /^arn:[a-z-]+:iam::(\d{12}):root$/i;

export function isAccountPrincipal(value: string, accountId: string): boolean {
  if (value === accountId) return true;
  const root = ROOT_ARN.exec(value);
  return root !== null && root[1] === accountId;
}

type EntryScope = 'everyone' | 'whole-account' | 'not-aws' | 'pattern';

/** The part of an entry's classification that does not depend on the identity (cached: entries are checked once per user). */
const entryScopes = new WeakMap<PrincipalEntry, { readonly accountId: string; readonly scope: EntryScope }>();

function entryScope(entry: PrincipalEntry, accountId: string): EntryScope {
  const cached = entryScopes.get(entry);
  if (cached !== undefined && cached.accountId === accountId) return cached.scope;
  const scope: EntryScope =
    entry.type.toUpperCase() !== 'AWS'
      ? 'not-aws'
      : entry.value === '*'
        ? 'everyone'
        : isAccountPrincipal(entry.value, accountId)
          ? 'whole-account'
          : 'pattern';
  entryScopes.set(entry, { accountId, scope });
  return scope;
}

/** How one Principal entry relates to `who`. */
export function classifyPrincipal(entry: PrincipalEntry, who: PrincipalIdentity, accountId: string): PrincipalScope {
  const scope = entryScope(entry, accountId);
  if (scope === 'not-aws') return 'other';
  if (scope !== 'pattern') return scope;
  if (globMatches(entry.value, who.arn) || globMatches(entry.value, who.id)) return 'names-identity';
  return 'other';
}

type ValueOf = (who: PrincipalIdentity) => string | null;

const IDENTITY_KEYS: Readonly<Record<string, ValueOf>> = {
  'aws:principalarn': (who) => who.arn,
  'aws:username': (who) => who.name,
  'aws:userid': (who) => who.id,
};

type Comparison = 'exact' | 'glob';

const POSITIVE_OPERATORS: Readonly<Record<string, Comparison>> = {
  stringequals: 'exact',
  stringequalsignorecase: 'exact',
  stringlike: 'glob',
  arnequals: 'glob',
  arnlike: 'glob',
};

const NEGATED_OPERATORS: Readonly<Record<string, Comparison>> = {
  stringnotequals: 'exact',
  stringnotequalsignorecase: 'exact',
  stringnotlike: 'glob',
  arnnotequals: 'glob',
  arnnotlike: 'glob',
};

function clauseMatches(clause: ConditionClause, comparison: Comparison, who: PrincipalIdentity): boolean {
  const actual = IDENTITY_KEYS[clause.key]?.(who) ?? null;
  if (actual === null) return false;
  return clause.values.some((expected) =>
    comparison === 'glob' ? globMatches(expected, actual) : expected.toLowerCase() === actual.toLowerCase(),
  );
}

/** Conditions on identity keys in a statement (the ones that can single out a principal). */
export function identityClauses(statement: PolicyStatement): ConditionClause[] {
  return statement.conditions.filter((clause) => clause.key in IDENTITY_KEYS);
}

/**
 * The positive identity clause through which the statement's conditions select `who`,
 * or null when they do not (no positive identity clause, one that `who` fails, or a negated one excluding it).
 */
export function conditionsSelect(statement: PolicyStatement, who: PrincipalIdentity): ConditionClause | null {
  let selectedBy: ConditionClause | null = null;
  for (const clause of identityClauses(statement)) {
    const positive = POSITIVE_OPERATORS[clause.baseOperator];
    const negated = NEGATED_OPERATORS[clause.baseOperator];
    if (positive !== undefined) {
      if (!clauseMatches(clause, positive, who)) return null;
      selectedBy ??= clause;
    } else if (negated !== undefined && clauseMatches(clause, negated, who)) {
      return null;
    }
  }
  return selectedBy;
}

export type ReferenceVia = 'principal' | 'condition' | 'not-principal';

export interface StatementReference {
  readonly statement: PolicyStatement;
  readonly via: ReferenceVia;
  /** Human description, e.g. `statement "Allow use" names it as Principal (arn:…)`. */
  readonly detail: string;
}

/** How (if at all) one statement references `who`. */
export function statementReference(
  statement: PolicyStatement,
  who: PrincipalIdentity,
  accountId: string,
): StatementReference | null {
  if (statement.notPrincipals !== null) {
    return {
      statement,
      via: 'not-principal',
      detail: `${describeStatement(statement)} uses NotPrincipal, which cannot be proven not to depend on the user`,
    };
  }
  if (statement.effect !== 'Allow' || statement.principals === null) return null;
  let broad = false;
  for (const entry of statement.principals) {
    const scope = classifyPrincipal(entry, who, accountId);
    if (scope === 'names-identity') {
      return { statement, via: 'principal', detail: `${describeStatement(statement)} names it as Principal (${entry.value})` };
    }
    if (scope === 'everyone' || scope === 'whole-account') broad = true;
  }
  if (!broad) return null;
  const clause = conditionsSelect(statement, who);
  if (clause === null) return null;
  return {
    statement,
    via: 'condition',
    detail: `${describeStatement(statement)} selects it through Condition ${clause.operator} ${clause.key} ${JSON.stringify(clause.values.length === 1 ? clause.values[0] : clause.values)}`,
  };
}

/** Every statement of a policy that references `who`, in document order. */
export function policyReferences(
  statements: readonly PolicyStatement[],
  who: PrincipalIdentity,
  accountId: string,
): StatementReference[] {
  const references: StatementReference[] = [];
  for (const statement of statements) {
    const reference = statementReference(statement, who, accountId);
    if (reference !== null) references.push(reference);
  }
  return references;
}

/**
 * Whether a statement could reference some IAM user at all (a cheap, identity-independent pre-filter):
 * NotPrincipal; an Allow naming a wildcard, a user ARN or a unique id; or an Allow to "*"/the account
 * with identity conditions. Statements for the account root, roles or services alone are skipped.
 */
export function mayReferenceUsers(statement: PolicyStatement, accountId: string): boolean {
  if (statement.notPrincipals !== null) return true;
  if (statement.effect !== 'Allow' || statement.principals === null) return false;
  let broad = false;
  for (const entry of statement.principals) {
    const scope = entryScope(entry, accountId);
    if (scope === 'everyone' || scope === 'whole-account') broad = true;
    if (scope === 'pattern' && (hasWildcard(entry.value) || /:user\//i.test(entry.value) || !entry.value.startsWith('arn:'))) return true;
  }
  return broad && identityClauses(statement).length > 0;
}
