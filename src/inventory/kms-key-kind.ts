/**
 * Which KMS keys the inventory reads, and how far (pure: no I/O).
 *
 * - AWS-managed keys are recognised by their `alias/aws/*` alias from ListAliases and never read: AWS
 *   reserves that prefix for them (CreateAlias refuses it for a customer-managed key), and their
 *   policies are written by AWS. A key without any alias is read as customer-managed (conservative).
 * - Of a customer-managed key, its policy and grants decide; its state decides nothing (a disabled or
 *   pending-deletion key that names a user still holds it). The state is only shown, in the messages of
 *   the KMS guards, which name a key only when its policy or a grant references a user. So DescribeKey
 *   is worth a call only for those keys: `keyStateIsShown` is the identity-independent superset the
 *   planner's own pre-filter gives (mayReferenceUsers per statement, as src/plan/context.ts applies it,
 *   and grants whose grantee or retiring principal may be a user, as src/plan/guards/kms-grant.ts compares).
 */
import type { KmsGrantFacts } from '../model/snapshot';
import { parsePolicyDocument } from '../policy/document';
import { mayReferenceUsers } from '../policy/principal';
import { parseArn } from './arn';

/** The alias prefix AWS reserves for AWS-managed keys. */
export const AWS_MANAGED_ALIAS_PREFIX = 'alias/aws/';

/** Whether one of the key's aliases marks it as AWS-managed. */
export function isAwsManagedByAlias(aliases: readonly string[]): boolean {
  return aliases.some((alias) => alias.startsWith(AWS_MANAGED_ALIAS_PREFIX));
}

/**
 * Whether a grant principal may be an IAM user: a user ARN (any path, any case), or a value that is not
 * an ARN and not a service principal (a unique id such as AIDA…). Roles, assumed roles, the account and
 * services are not.
 */
export function grantPrincipalMayBeUser(principal: string | null): boolean {
  if (principal === null || principal === '') return false;
  const arn = parseArn(principal);
  if (arn !== null) return arn.service.toLowerCase() === 'iam' && /^user\//i.test(arn.resource);
  return !principal.includes('.');
}

/**
 * Whether a guard message could show this key, so its state (DescribeKey) is worth reading: a readable,
 * parsable policy with a statement that may reference some user, or a grant that may name a user.
 * An unreadable or unparsable policy or grant list already holds every deletion and is reported by ARN
 * only, so it needs no state. `accountId` null (the key's ARN was not listed): always true.
 */
export function keyStateIsShown(policy: string | null, grants: readonly KmsGrantFacts[] | null, accountId: string | null): boolean {
  if (accountId === null) return true;
  const mayNameUser = (g: KmsGrantFacts): boolean =>
    grantPrincipalMayBeUser(g.granteePrincipal) || grantPrincipalMayBeUser(g.retiringPrincipal);
  if ((grants ?? []).some(mayNameUser)) return true;
  if (policy === null) return false;
  const parsed = parsePolicyDocument(policy);
  return parsed.ok && parsed.statements.some((statement) => mayReferenceUsers(statement, accountId));
}

/** The account of a key ARN, or null when there is none. */
export function keyAccount(keyArn: string | null): string | null {
  if (keyArn === null) return null;
  const arn = parseArn(keyArn);
  return arn === null || arn.account === '' ? null : arn.account;
}
