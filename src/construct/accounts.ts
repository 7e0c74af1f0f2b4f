import type { Construct } from 'constructs';
import { UsageError } from '../errors';
import type { Allowlist } from '../model/allowlist';
import { AllowlistStack, type AllowlistStackProps } from './allowlist-stack';

/** One account of a multi-account synthesis: its own plan and allowlist, reached through its own role. */
export interface AccountStackProps extends AllowlistStackProps {
  /** Stack id (also the directory under cdktf.out/stacks). Default `iam-allowlist-<accountId>`. */
  readonly stackName?: string;
}

export function defaultStackName(accountId: string): string {
  return `iam-allowlist-${accountId}`;
}

/**
 * One AllowlistStack per account. Each account's `enforce` calls carry its own `--assume-role`
 * flag, so a single terraform process with one set of base credentials reaches every account,
 * and no account's settings leak into another's configuration.
 */
export function addAccountStacks(scope: Construct, accounts: readonly AccountStackProps[]): AllowlistStack[] {
  const seenAccounts = new Set<string>();
  const seenNames = new Set<string>();
  return accounts.map((account) => {
    const accountId = account.plan.accountId;
    if (seenAccounts.has(accountId)) throw new UsageError(`account ${accountId} is listed twice`);
    seenAccounts.add(accountId);
    const stackName = account.stackName ?? defaultStackName(accountId);
    if (seenNames.has(stackName)) throw new UsageError(`stack name ${stackName} is used twice`);
    seenNames.add(stackName);
    assertAccountMatchesAllowlist(stackName, account.allowlist, accountId);
    return new AllowlistStack(scope, stackName, account);
  });
}

/** A stack whose plan is for another account than its allowlist pins would enforce the wrong account's list. */
export function assertAccountMatchesAllowlist(stackName: string, allowlist: Allowlist, accountId: string): void {
  if (allowlist.account !== null && allowlist.account !== accountId) {
    throw new UsageError(`the allowlist for stack ${stackName} pins account ${allowlist.account}, but its plan is for ${accountId}`);
  }
}
