/**
 * "Sole administrator" analysis of a key policy: can anyone but this user still change the policy
 * (kms:PutKeyPolicy) once the user is gone? If not, deleting the user orphans the key.
 */
import { globMatches, hasWildcard } from './glob';
import type { PolicyStatement } from './policy-document';
import { classifyPrincipal, conditionsSelect, type PrincipalIdentity } from './principal';

export const KEY_ADMIN_ACTION = 'kms:PutKeyPolicy';

/** Does an Allow statement's Action/NotAction cover `action` ("*", "kms:*", "kms:Put*", the action itself)? */
export function statementGrantsAction(statement: PolicyStatement, action: string): boolean {
  if (statement.effect !== 'Allow') return false;
  if (statement.actions !== null) return statement.actions.some((pattern) => globMatches(pattern, action));
  if (statement.notActions !== null) return !statement.notActions.some((pattern) => globMatches(pattern, action));
  return false;
}

export type SoleAdminResult =
  | { readonly sole: true; readonly statement: PolicyStatement }
  | { readonly sole: false; readonly reason: string };

/**
 * `who` is the sole administrator when no Allow statement grants kms:PutKeyPolicy to the account root
 * (root ARN or bare account id), to everyone, to a service, or to any principal other than `who`,
 * and at least one such statement grants it to `who`. A wildcard principal or condition counts as
 * `who` only when it matches no other known principal (`others`: the account's other users and roles).
 */
export function soleAdministrator(
  statements: readonly PolicyStatement[],
  who: PrincipalIdentity,
  accountId: string,
  others: readonly PrincipalIdentity[],
): SoleAdminResult {
  const adminStatements = statements.filter((statement) => statementGrantsAction(statement, KEY_ADMIN_ACTION));
  let grantsWho: PolicyStatement | null = null;
  for (const statement of adminStatements) {
    if (statement.notPrincipals !== null) return { sole: false, reason: 'NotPrincipal grants administration to others' };
    for (const entry of statement.principals ?? []) {
      const scope = classifyPrincipal(entry, who, accountId);
      if (scope === 'whole-account') return { sole: false, reason: 'the account root can administer the key' };
      if (scope === 'other') return { sole: false, reason: `${entry.value} can administer the key` };
      if (scope === 'names-identity') {
        if (hasWildcard(entry.value) && others.some((other) => classifyPrincipal(entry, other, accountId) === 'names-identity')) {
          return { sole: false, reason: `${entry.value} also matches other principals` };
        }
        grantsWho ??= statement;
        continue;
      }
      // "*": only as narrow as its identity conditions.
      if (conditionsSelect(statement, who) === null) return { sole: false, reason: 'a "*" principal can administer the key' };
      if (others.some((other) => conditionsSelect(statement, other) !== null)) {
        return { sole: false, reason: 'a "*" principal with conditions matching other principals can administer the key' };
      }
      grantsWho ??= statement;
    }
  }
  return grantsWho === null ? { sole: false, reason: 'the user cannot administer the key' } : { sole: true, statement: grantsWho };
}
