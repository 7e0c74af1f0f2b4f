/**
 * "Sole administrator" analysis of a key policy: can anyone but this user still change the policy
 * (kms:PutKeyPolicy) once the user is gone? If not, deleting the user orphans the key.
 *
 * Who else might administer (the candidates): the account's other known users and roles, the account
 * root user, and every principal an Allow names explicitly. A candidate administers when an Allow
 * covering kms:PutKeyPolicy covers it — its Principal, and its identity conditions — and no Deny of
 * kms:PutKeyPolicy certainly applies to it. So an Allow to the account root or "*" counts as someone
 * else only when its identity conditions do not narrow it to this user, and a Deny such as
 * `Deny "*" kms:* unless aws:PrincipalArn = <user>` removes everyone else.
 * A Deny is subtracted only when it certainly applies (Principal covers the candidate, every condition
 * an identity clause the candidate satisfies); any doubt counts as "someone else can administer",
 * which leaves the key to the (equally blocking) kms-key-policy guard.
 */
import { globMatches, hasWildcard } from './glob';
import { describeStatement, type PolicyStatement, type PrincipalEntry } from './policy-document';
import { classifyPrincipal, conditionsDecidable, identityConditionsHold, principalCovers, type PrincipalIdentity } from './principal';

export const KEY_ADMIN_ACTION = 'kms:PutKeyPolicy';

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

export type SoleAdminResult =
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

/**
 * `who` is the sole administrator when some Allow grants it kms:PutKeyPolicy (and no Deny takes that
 * away) while no other candidate (see the file comment) keeps that permission.
 */
export function soleAdministrator(
  statements: readonly PolicyStatement[],
  who: PrincipalIdentity,
  accountId: string,
  others: readonly PrincipalIdentity[],
): SoleAdminResult {
  const adminDenies = statements.filter(
    (statement) =>
      statement.effect === 'Deny' &&
      statement.notPrincipals === null &&
      statementCoversAction(statement, KEY_ADMIN_ACTION) &&
      conditionsDecidable(statement),
  );
  const denialOf = (candidate: PrincipalIdentity): PolicyStatement | undefined =>
    adminDenies.find((deny) => principalCovers(deny, candidate, accountId) && identityConditionsHold(deny, candidate));
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

  let grantsWho: PolicyStatement | null = null;
  for (const statement of statements.filter((s) => statementGrantsAction(s, KEY_ADMIN_ACTION))) {
    if (statement.notPrincipals !== null) return { sole: false, reason: 'NotPrincipal grants administration to others' };
    const coversWho = whoDenied === undefined && identityConditionsHold(statement, who);
    for (const entry of statement.principals ?? []) {
      const scope = classifyPrincipal(entry, who, accountId);
      if (scope === 'other') {
        if (entry.type.toUpperCase() !== 'AWS') return { sole: false, reason: `${entry.value} can administer the key` };
        const named = [identityOfEntry(entry), ...others.filter((other) => classifyPrincipal(entry, other, accountId) === 'names-identity')];
        if (named.some((candidate) => identityConditionsHold(statement, candidate) && keeps(candidate))) {
          return { sole: false, reason: `${entry.value} can administer the key` };
        }
        continue;
      }
      const matched =
        scope === 'names-identity'
          ? hasWildcard(entry.value)
            ? others.filter((other) => classifyPrincipal(entry, other, accountId) === 'names-identity')
            : []
          : candidates;
      const other = matched.find((candidate) => identityConditionsHold(statement, candidate) && keeps(candidate));
      if (other !== undefined) {
        const reason =
          scope === 'names-identity'
            ? `${entry.value} also matches other principals`
            : scope === 'whole-account'
              ? 'the account root can administer the key'
              : 'a "*" principal can administer the key';
        return { sole: false, reason: `${reason} (${other.arn})` };
      }
      if (coversWho) grantsWho ??= statement;
    }
  }
  if (grantsWho === null) {
    return { sole: false, reason: whoDenied === undefined ? 'the user cannot administer the key' : `${describeStatement(whoDenied)} denies the user kms:PutKeyPolicy` };
  }
  const because =
    subtracted.deny === null
      ? 'no statement lets the account root or any other principal change the policy'
      : `${describeStatement(subtracted.deny)} denies kms:PutKeyPolicy to every other principal`;
  return { sole: true, statement: grantsWho, because };
}
