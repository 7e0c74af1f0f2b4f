/**
 * Does a policy statement name a particular IAM identity? One analysis for KMS key policies and role
 * trust policies. See DESIGN.md "KMS reference analysis" for the pitfalls handled here.
 *
 * Decisions (documented for reviewers):
 * - A Deny that merely names the user (or selects it through positive conditions) is no dependency:
 *   deleting a user that a Deny names removes no access anyone relies on.
 * - A Deny is a reference when it carves the user OUT: its Principal covers the user ("*", the account
 *   root / bare account id, or a pattern matching the user) and a NEGATED identity clause
 *   (StringNotEquals, StringNotLike, StringNotEqualsIgnoreCase, ArnNotEquals, ArnNotLike, with
 *   IfExists / ForAllValues / ForAnyValue variants, on aws:PrincipalArn / aws:username / aws:userid)
 *   lists the user. `Deny * kms:* unless aws:PrincipalArn = key-owner` leaves key-owner as the only
 *   principal that can use the key; deleting it locks everyone out. (Whether the Deny also removes
 *   kms:PutKeyPolicy from everyone else is administration.ts's business.)
 * - NotPrincipal: only the principals named inside it (by ARN with path or unique id, case-insensitive,
 *   wildcards honoured) are references. In a Deny ("deny everyone but X") X is an exception of the
 *   same kind as above; in an Allow ("everyone but X") X is excluded, not referenced, and everyone
 *   else is granted as by "*". A user the NotPrincipal does not name is not referenced by it.
 * - The account root / bare account id and an unconditional "*" grant to the account or everyone,
 *   not to a particular user: not a reference. They do make identity conditions meaningful:
 *   "*" or the account root plus a Condition on aws:PrincipalArn / aws:username / aws:userid that the
 *   user satisfies is a reference.
 * - Condition clauses are ANDed as in AWS: every positive identity clause must be satisfiable by the
 *   user and no negated identity clause (StringNotEquals, ArnNotLike, ...) may exclude it.
 * - All comparisons are case-insensitive; ArnEquals/ArnLike/StringLike honour `*` and `?`
 *   (ArnEquals accepts wildcards in AWS too); StringEquals compares literally.
 * - Policy variables (2012-10-17 documents only) in Principal entries and Condition values are
 *   resolved for the identity under evaluation (see pattern.ts).
 */
import { describeStatement, type ConditionClause, type PolicyStatement, type PrincipalEntry } from './document';
import { hasWildcard } from './glob';
import { hasVariable, policyValueMatches, type Comparison } from './pattern';

/**
 * The identity a policy is checked against: an IAM user (or, for "who else", a role or the account
 * root). Its account and aws:PrincipalType follow from the ARN.
 */
export interface PrincipalIdentity {
  /** aws:username; null for roles and the root (the key is absent for them). */
  readonly name: string | null;
  readonly arn: string;
  /** Unique id: AIDA… for users, AROA… for roles, the account id for the root. */
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

/** How one Principal (or NotPrincipal) entry of a statement relates to `who`. */
export function classifyPrincipal(entry: PrincipalEntry, who: PrincipalIdentity, accountId: string, variables: boolean): PrincipalScope {
  const scope = entryScope(entry, accountId);
  if (scope === 'not-aws') return 'other';
  if (scope !== 'pattern') return scope;
  const named = (actual: string): boolean => policyValueMatches(entry.value, actual, 'glob', who, variables);
  return named(who.arn) || named(who.id) ? 'names-identity' : 'other';
}

/** Whether a Principal entry may stand for more than one principal (a wildcard or a policy variable). */
export function entryIsPattern(entry: PrincipalEntry, variables: boolean): boolean {
  return hasWildcard(entry.value) || hasVariable(entry.value, variables);
}

/** The NotPrincipal entry naming `who` (so the statement does not apply to it), or undefined. */
export function notPrincipalNaming(statement: PolicyStatement, who: PrincipalIdentity, accountId: string): PrincipalEntry | undefined {
  const names = (entry: PrincipalEntry): boolean => classifyPrincipal(entry, who, accountId, statement.variables) === 'names-identity';
  return (statement.notPrincipals ?? []).find(names);
}

/**
 * Whether a NotPrincipal exempts `who` from its statement: it names `who`, it is "*", or `who` is the
 * account root and it names the account.
 */
function notPrincipalExempts(statement: PolicyStatement, who: PrincipalIdentity, accountId: string): boolean {
  return (statement.notPrincipals ?? []).some((entry) => {
    const scope = classifyPrincipal(entry, who, accountId, statement.variables);
    return scope === 'names-identity' || scope === 'everyone' || (scope === 'whole-account' && who.id === accountId);
  });
}

type ValueOf = (who: PrincipalIdentity) => string | null;

const IDENTITY_KEYS: Readonly<Record<string, ValueOf>> = {
  'aws:principalarn': (who) => who.arn,
  'aws:username': (who) => who.name,
  'aws:userid': (who) => who.id,
};

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

function clauseMatches(statement: PolicyStatement, clause: ConditionClause, comparison: Comparison, who: PrincipalIdentity): boolean {
  const actual = IDENTITY_KEYS[clause.key]?.(who) ?? null;
  if (actual === null) return false;
  return clause.values.some((expected) => policyValueMatches(expected, actual, comparison, who, statement.variables));
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
      if (!clauseMatches(statement, clause, positive, who)) return null;
      selectedBy ??= clause;
    } else if (negated !== undefined && clauseMatches(statement, clause, negated, who)) {
      return null;
    }
  }
  return selectedBy;
}

/**
 * The negated identity clause that lists `who` (StringNotEquals aws:PrincipalArn [.., who, ..], ...),
 * or null. A Deny with such a clause does not apply to `who`: the user is an exception carved out of it.
 */
export function escapingClause(statement: PolicyStatement, who: PrincipalIdentity): ConditionClause | null {
  for (const clause of identityClauses(statement)) {
    const negated = NEGATED_OPERATORS[clause.baseOperator];
    if (negated !== undefined && clauseMatches(statement, clause, negated, who)) return clause;
  }
  return null;
}

/**
 * Whether the identity clauses of a statement hold for `who`: every positive one matches and no negated
 * one lists it. Conditions on other keys are not looked at (the caller decides what they mean).
 */
export function identityConditionsHold(statement: PolicyStatement, who: PrincipalIdentity): boolean {
  return identityClauses(statement).every((clause) => {
    const positive = POSITIVE_OPERATORS[clause.baseOperator];
    if (positive !== undefined) return clauseMatches(statement, clause, positive, who);
    const negated = NEGATED_OPERATORS[clause.baseOperator];
    // An identity clause with another operator (Null, ...) is not understood: it may hold.
    return negated === undefined || !clauseMatches(statement, clause, negated, who);
  });
}

/**
 * Whether every condition of the statement is an identity clause this module understands, so whether
 * it applies to a given principal can be decided from the policy alone.
 */
export function conditionsDecidable(statement: PolicyStatement): boolean {
  return statement.conditions.every(
    (clause) =>
      clause.key in IDENTITY_KEYS &&
      (POSITIVE_OPERATORS[clause.baseOperator] !== undefined || NEGATED_OPERATORS[clause.baseOperator] !== undefined),
  );
}

/**
 * Whether the statement applies to `who` by its principals: a Principal that is "*", the account, or
 * an entry naming or matching it; or a NotPrincipal that does not exempt it.
 */
export function principalCovers(statement: PolicyStatement, who: PrincipalIdentity, accountId: string): boolean {
  if (statement.notPrincipals !== null) return !notPrincipalExempts(statement, who, accountId);
  return (statement.principals ?? []).some((entry) => classifyPrincipal(entry, who, accountId, statement.variables) !== 'other');
}

/** `Condition StringNotEquals aws:principalarn "arn:…"` for messages. */
export function describeClause(clause: ConditionClause): string {
  return `${clause.operator} ${clause.key} ${JSON.stringify(clause.values.length === 1 ? clause.values[0] : clause.values)}`;
}

function describeActions(statement: PolicyStatement): string {
  if (statement.actions !== null) return statement.actions.join(', ');
  return `every action but ${(statement.notActions ?? []).join(', ')}`;
}

/** `not-principal` and `deny-exception` are the exceptions of a Deny: deleting them can lock everyone out. */
export type ReferenceVia = 'principal' | 'condition' | 'not-principal' | 'deny-exception';

export interface StatementReference {
  readonly statement: PolicyStatement;
  readonly via: ReferenceVia;
  /** Human description, e.g. `statement "Allow use" names it as Principal (arn:…)`. */
  readonly detail: string;
}

/** How (if at all) one statement references `who`. */
export function statementReference(statement: PolicyStatement, who: PrincipalIdentity, accountId: string): StatementReference | null {
  if (statement.notPrincipals !== null) return notPrincipalReference(statement, who, accountId);
  if (statement.principals === null) return null;
  if (statement.effect === 'Deny') return denyExceptionReference(statement, who, accountId);
  let broad = false;
  for (const entry of statement.principals) {
    const scope = classifyPrincipal(entry, who, accountId, statement.variables);
    if (scope === 'names-identity') {
      return { statement, via: 'principal', detail: `${describeStatement(statement)} names it as Principal (${entry.value})` };
    }
    if (scope === 'everyone' || scope === 'whole-account') broad = true;
  }
  return broad ? conditionReference(statement, who) : null;
}

function conditionReference(statement: PolicyStatement, who: PrincipalIdentity): StatementReference | null {
  const clause = conditionsSelect(statement, who);
  if (clause === null) return null;
  return {
    statement,
    via: 'condition',
    detail: `${describeStatement(statement)} selects it through Condition ${describeClause(clause)}`,
  };
}

/**
 * A Deny's NotPrincipal naming `who` makes it one of the exceptions ("deny everyone but X"); a Deny that
 * does apply to `who` may still exempt it by a negated condition. An Allow's NotPrincipal naming `who`
 * excludes it; otherwise the Allow grants everyone, so only identity conditions can single `who` out.
 */
function notPrincipalReference(statement: PolicyStatement, who: PrincipalIdentity, accountId: string): StatementReference | null {
  const named = notPrincipalNaming(statement, who, accountId);
  if (statement.effect === 'Allow') return named === undefined ? conditionReference(statement, who) : null;
  if (named === undefined) return denyExceptionReference(statement, who, accountId);
  return {
    statement,
    via: 'not-principal',
    detail:
      `${describeStatement(statement)} denies ${describeActions(statement)} to every principal but those its NotPrincipal names, ` +
      `which include it (${named.value})`,
  };
}

/** A Deny whose Principal covers `who` and whose negated identity condition exempts it (see the file comment). */
function denyExceptionReference(statement: PolicyStatement, who: PrincipalIdentity, accountId: string): StatementReference | null {
  if (!principalCovers(statement, who, accountId)) return null;
  const clause = escapingClause(statement, who);
  if (clause === null) return null;
  return {
    statement,
    via: 'deny-exception',
    detail:
      `${describeStatement(statement)} denies ${describeActions(statement)} to everyone except the principals ` +
      `its Condition ${describeClause(clause)} exempts, which include it`,
  };
}

/** Every statement of a policy that references `who`, in document order. */
export function policyReferences(statements: readonly PolicyStatement[], who: PrincipalIdentity, accountId: string): StatementReference[] {
  const references: StatementReference[] = [];
  for (const statement of statements) {
    const reference = statementReference(statement, who, accountId);
    if (reference !== null) references.push(reference);
  }
  return references;
}

/**
 * Whether a statement could reference some IAM user at all (a cheap, identity-independent pre-filter):
 * NotPrincipal; an Allow naming a wildcard, a policy variable, a user ARN or a unique id; an Allow to
 * "*"/the account with identity conditions; a Deny with a negated identity condition (it may exempt a user).
 * Statements for the account root, roles or services alone are skipped.
 */
export function mayReferenceUsers(statement: PolicyStatement, accountId: string): boolean {
  if (statement.notPrincipals !== null) return true;
  if (statement.principals === null) return false;
  if (statement.effect === 'Deny') {
    const coversAws = statement.principals.some((entry) => entryScope(entry, accountId) !== 'not-aws');
    return coversAws && identityClauses(statement).some((clause) => NEGATED_OPERATORS[clause.baseOperator] !== undefined);
  }
  let broad = false;
  for (const entry of statement.principals) {
    const scope = entryScope(entry, accountId);
    if (scope === 'everyone' || scope === 'whole-account') broad = true;
    const mayNameUser = entryIsPattern(entry, statement.variables) || /:user\//i.test(entry.value) || !entry.value.startsWith('arn:');
    if (scope === 'pattern' && mayNameUser) return true;
  }
  return broad && identityClauses(statement).length > 0;
}
