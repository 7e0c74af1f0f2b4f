/**
 * `cdktf synth` entry point (see src/construct/synth-app.ts). Settings come from the environment:
 * IAM_ALLOWLIST_FILE            allowlist path (default ./allowlist.yaml)
 * IAM_ALLOWLIST_SNAPSHOT        plan offline from a saved snapshot instead of reading the account
 * IAM_ALLOWLIST_MANAGE_USERS=1  also manage declared users with the AWS provider
 * IAM_ALLOWLIST_PREVIOUS_STATE  the stack's previous Terraform state (e.g. from `terraform state pull`);
 *                               default: cdktf's local terraform.iam-allowlist.tfstate here, when it exists
 * IAM_ALLOWLIST_ASSUME_ROLE     role (in the target account) to read through and to enforce with
 * AWS access: the SDK's standard environment, including AWS_ENDPOINT_URL*.
 */
import * as path from 'path';
import { synthApp } from './src/construct/synth-app';

synthApp({
  allowlistFile: path.resolve(process.env.IAM_ALLOWLIST_FILE ?? 'allowlist.yaml'),
  snapshotFile: process.env.IAM_ALLOWLIST_SNAPSHOT,
  previousStateFile: process.env.IAM_ALLOWLIST_PREVIOUS_STATE,
  projectDirectory: process.cwd(),
  manageDeclaredUsers: process.env.IAM_ALLOWLIST_MANAGE_USERS === '1',
  assumeRoleArn: process.env.IAM_ALLOWLIST_ASSUME_ROLE || undefined,
}).catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  process.exitCode = 1;
});
