/**
 * Which KMS keys the inventory reads, and how far (pure: no I/O).
 *
 * - AWS-managed keys are recognised by their `alias/aws/*` alias from ListAliases and never read: AWS
 *   reserves that prefix for them (CreateAlias refuses it for a customer-managed key), and their
 *   policies are written by AWS. A key without any alias is read as customer-managed (conservative).
 * - Of a customer-managed key, its policy and grants decide; its state decides nothing (a disabled or
 *   pending-deletion key that names a user still holds it). The state is only shown, in the messages of
 *   the KMS guards, so the scan never calls DescribeKey: a plan shown to a person describes just the keys
 *   its findings name (src/inventory/describe-keys.ts, src/plan/kms/named-keys.ts).
 */

/** The alias prefix AWS reserves for AWS-managed keys. */
export const AWS_MANAGED_ALIAS_PREFIX = 'alias/aws/';

/** Whether one of the key's aliases marks it as AWS-managed. */
export function isAwsManagedByAlias(aliases: readonly string[]): boolean {
  return aliases.some((alias) => alias.startsWith(AWS_MANAGED_ALIAS_PREFIX));
}
