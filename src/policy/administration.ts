/**
 * "Sole holder" analysis of a resource policy: can anyone but this principal still perform `action`
 * (for a KMS key policy, kms:PutKeyPolicy: change the policy) once the principal is gone?
 *
 * Who else might hold it (the candidates): the account's other live users and roles, the account root
 * user, and every principal an Allow names explicitly by ARN. A candidate holds the action when an
 * Allow covering the action covers it — its Principal (or a NotPrincipal that does not exempt it), and
 * its identity conditions — and no Deny of the action certainly applies to it. So an Allow to the
 * account root or "*" counts as someone else only when its identity conditions do not narrow it to
 * this principal, an Allow with NotPrincipal ("everyone but X") counts everyone it does not exempt,
 * and a Deny such as `Deny "*" kms:* unless aws:PrincipalArn = <user>` (or `Deny NotPrincipal <user>`)
 * removes everyone else.
 * A unique id (AIDA…, AROA…) that is no live principal's id is what a policy shows for a deleted
 * principal: it can no longer act, so it is never another holder.
 * A Deny is subtracted only when it certainly applies (its principals cover the candidate, every
 * condition an identity clause the candidate satisfies); any doubt counts as "someone else holds it",
 * which leaves the resource to the (equally blocking) reference guard.
 */
import { describeStatement, type PolicyStatement, type PrincipalEntry } from './document';
import { globMatches } from './glob';
import {
  classifyPrincipal,
  conditionsDecidable,
  entryIsPattern,
  identityConditionsHold,
  principalCovers,
  type PrincipalIdentity,
} from './principal';

/** Does a statement's Action/NotAction cover `action` ("*", "kms:*", "kms:Put*", the action itself), whatever its Effect? */
export function statementCoversAction(statement: PolicyStatement, action: string): boolean {
  if (statement.actions !== null) return statement.actions.some((pattern) => globMatches(pattern, action));
  if (statement.notActions !== null) return !statement.notActions.some((pattern) => globMatches(pattern, action));
  return false;
}

/** Does an Allow statement's Action/NotAction cover `action`? */
export function statementGrantsAction(statement: PolicyStatement, action: string): boolean {
  return statement.effect === 'Allow' && statementCoversAction(statement, action);
}

/** The permission asked about: the action, and what holding it means in words (for messages). */
export interface HeldAction {
  /** e.g. "kms:PutKeyPolicy". */
  readonly action: string;
  /** e.g. "change the policy": "no statement lets … any other principal change the policy". */
  readonly ability: string;
}

export type SoleHolderResult =
  | { readonly sole: true; readonly statement: PolicyStatement; readonly because: string }
  | { readonly sole: false; readonly reason: string };

/** The account root user: aws:userid is the account id, aws:username is absent. */
function rootUser(who: PrincipalIdentity, accountId: string): PrincipalIdentity {
  const partition = who.arn.split(':')[1] || 'aws';
  return { name: null, arn: `arn:${partition}:iam::${accountId}:root`, id: accountId };
}

/** The identity an explicit Principal entry stands for (a user ARN carries its name in the last segment). */
function identityOfEntry(entry: PrincipalEntry): PrincipalIdentity {
  const user = /:user\/(?:.*\/)?([^/]+)$/i.exec(entry.value);
  return { name: user?.[1] ?? null, arn: entry.value, id: entry.value };
}

/** A user's or role's unique id, as a policy shows it once the principal is deleted. */
const UNIQUE_ID = /^(AIDA|AROA)[A-Z0-9]{8,}$/i;

/**
 * `who` is the sole holder of `action` when some Allow grants it the action (and no Deny takes that
 * away) while no other candidate (see the file comment) keeps it. `others` are the account's other
 * live principals (users and roles, `who` excluded).
 */
export function soleHolder(
  statements: readonly PolicyStatement[],
  { action, ability }: HeldAction,
  who: PrincipalIdentity,
  accountId: string,
  others: readonly PrincipalIdentity[],
): SoleHolderResult {
  const denies = statements.filter(
    (statement) => statement.effect === 'Deny' && statementCoversAction(statement, action) && conditionsDecidable(statement),
  );
  const denialOf = (candidate: PrincipalIdentity): PolicyStatement | undefined =>
    denies.find((deny) => principalCovers(deny, candidate, accountId) && identityConditionsHold(deny, candidate));
  const subtracted: { deny: PolicyStatement | null } = { deny: null };
  /** Whether `candidate` keeps what an Allow gives it; remembers the first Deny that took it away. */
  const keeps = (candidate: PrincipalIdentity): boolean => {
    const deny = denialOf(candidate);
    if (deny === undefined) return true;
    subtracted.deny ??= deny;
    return false;
  };
  const candidates = [rootUser(who, accountId), ...others];
  const whoDenied = denialOf(who);
  const liveMatches = (entry: PrincipalEntry, variables: boolean): PrincipalIdentity[] =>
    others.filter((other) => classifyPrincipal(entry, other, accountId, variables) === 'names-identity');

  let grantsWho: PolicyStatement | null = null;
  for (const statement of statements.filter((s) => statementGrantsAction(s, action))) {
    const coversWho = whoDenied === undefined && identityConditionsHold(statement, who);
    if (statement.notPrincipals !== null) {
      const granted = candidates.filter((candidate) => principalCovers(statement, candidate, accountId));
      const other = granted.find((candidate) => identityConditionsHold(statement, candidate) && keeps(candidate));
      if (other !== undefined) {
        return {
          sole: false,
          reason: `${describeStatement(statement)} grants it to every principal its NotPrincipal does not name (${other.arn})`,
        };
      }
      if (coversWho && principalCovers(statement, who, accountId)) {
        grantsWho ??= statement;
      }
      continue;
    }
    for (const entry of statement.principals ?? []) {
      const scope = classifyPrincipal(entry, who, accountId, statement.variables);
      if (scope === 'other') {
        if (entry.type.toUpperCase() !== 'AWS') return { sole: false, reason: `${entry.value} can ${ability}` };
        // A unique id no live principal carries is a deleted principal; any other entry may be someone.
        const named = UNIQUE_ID.test(entry.value)
          ? liveMatches(entry, statement.variables)
          : [identityOfEntry(entry), ...liveMatches(entry, statement.variables)];
        if (named.some((candidate) => identityConditionsHold(statement, candidate) && keeps(candidate))) {
          return { sole: false, reason: `${entry.value} can ${ability}` };
        }
        continue;
      }
      const matched =
        scope === 'names-identity'
          ? entryIsPattern(entry, statement.variables)
            ? liveMatches(entry, statement.variables)
            : []
          : candidates;
      const other = matched.find((candidate) => identityConditionsHold(statement, candidate) && keeps(candidate));
      if (other !== undefined) {
        const reason =
          scope === 'names-identity'
            ? `${entry.value} also matches other principals`
            : scope === 'whole-account'
              ? `the account root can ${ability}`
              : `a "*" principal can ${ability}`;
        return { sole: false, reason: `${reason} (${other.arn})` };
      }
      if (coversWho) grantsWho ??= statement;
    }
  }
  if (grantsWho === null) {
    return {
      sole: false,
      reason: whoDenied === undefined ? `the user cannot ${ability}` : `${describeStatement(whoDenied)} denies the user ${action}`,
    };
  }
  const because =
    subtracted.deny === null
      ? `no statement lets the account root or any other principal ${ability}`
      : `${describeStatement(subtracted.deny)} denies ${action} to every other principal`;
  return { sole: true, statement: grantsWho, because };
}
