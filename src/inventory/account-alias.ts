import { ListAccountAliasesCommand, type IAMClient } from '@aws-sdk/client-iam';

/**
 * The account alias (iam:ListAccountAliases; IAM allows one per account, so one call), for the plan header only.
 * null: the account has none. undefined: it could not be read (e.g. the caller may not list aliases): a display
 * fact, so its failure is neither a scan error nor a reason to hold anything.
 */
export async function readAccountAlias(iam: IAMClient): Promise<string | null | undefined> {
  try {
    const answer = await iam.send(new ListAccountAliasesCommand({}));
    return answer.AccountAliases?.[0] ?? null;
  } catch {
    return undefined;
  }
}
