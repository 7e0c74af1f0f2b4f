import type { IamAllowlistOptions } from './iam-allowlist-stack';

/**
 * The settings a pipeline passes to `cdktf synth`/`plan`/`deploy` through the environment, so one
 * main.ts serves pull requests (offline snapshot, read-only role) and deploys alike:
 * IAM_ALLOWLIST_FILE            allowlistFile
 * IAM_ALLOWLIST_SNAPSHOT        snapshotFile (plan offline from a saved snapshot)
 * IAM_ALLOWLIST_PREVIOUS_STATE  previousStateFile (e.g. from `terraform state pull`)
 * IAM_ALLOWLIST_ASSUME_ROLE     assumeRoleArn
 * IAM_ALLOWLIST_MANAGE_USERS=1  manageDeclaredUsers
 * Unset or empty variables leave the option out, so its documented default applies.
 */
export function optionsFromEnvironment(env: NodeJS.ProcessEnv = process.env): IamAllowlistOptions {
  const value = (name: string): string | undefined => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const options: { -readonly [K in keyof IamAllowlistOptions]: IamAllowlistOptions[K] } = {};
  const allowlistFile = value('IAM_ALLOWLIST_FILE');
  const snapshotFile = value('IAM_ALLOWLIST_SNAPSHOT');
  const previousStateFile = value('IAM_ALLOWLIST_PREVIOUS_STATE');
  const assumeRoleArn = value('IAM_ALLOWLIST_ASSUME_ROLE');
  if (allowlistFile !== undefined) options.allowlistFile = allowlistFile;
  if (snapshotFile !== undefined) options.snapshotFile = snapshotFile;
  if (previousStateFile !== undefined) options.previousStateFile = previousStateFile;
  if (assumeRoleArn !== undefined) options.assumeRoleArn = assumeRoleArn;
  if (value('IAM_ALLOWLIST_MANAGE_USERS') === '1') options.manageDeclaredUsers = true;
  return options;
}
