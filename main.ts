/**
 * `cdktf synth` entry point: discovery first (cdktf constructs are synchronous), then synthesis.
 * IAM_ALLOWLIST_FILE      allowlist path (default ./allowlist.yaml)
 * IAM_ALLOWLIST_SNAPSHOT  plan offline from a saved snapshot instead of reading the account
 * IAM_ALLOWLIST_MANAGE_USERS=1  also manage declared users with the AWS provider
 * IAM_ALLOWLIST_PREVIOUS_STATE  the stack's previous Terraform state (e.g. from `terraform state pull`);
 *                         default: cdktf's local terraform.iam-allowlist.tfstate here, when it exists.
 *                         Actions completed for users that are gone are kept, so the next plan is clean
 *                         (see src/construct/previous-state.ts).
 */
import * as path from 'path';
import { loadAllowlistFile } from './src/allowlist/load';
import { AwsClients } from './src/aws/clients';
import { DEFAULT_STACK_NAME, synthesize } from './src/construct/app';
import { loadCompletedActions } from './src/construct/previous-state-file';
import { runIdFor } from './src/construct/run-id';
import { takeSnapshot } from './src/inventory/inventory';
import { loadSnapshot } from './src/inventory/snapshot-file';
import { plan } from './src/plan/plan';

async function main(): Promise<void> {
  const now = new Date();
  const allowlistFile = path.resolve(process.env.IAM_ALLOWLIST_FILE ?? 'allowlist.yaml');
  const { allowlist, warnings } = loadAllowlistFile(allowlistFile, { now });
  for (const warning of warnings) console.error(`warning: ${warning.message}`);

  const snapshotFile = process.env.IAM_ALLOWLIST_SNAPSHOT;
  let snapshot;
  if (snapshotFile) {
    snapshot = loadSnapshot(snapshotFile);
  } else {
    const clients = new AwsClients();
    try {
      snapshot = await takeSnapshot(clients, { regions: allowlist.guards.regions, now });
    } finally {
      clients.destroy();
    }
  }

  const previous = loadCompletedActions(
    { stackName: DEFAULT_STACK_NAME, explicitFile: process.env.IAM_ALLOWLIST_PREVIOUS_STATE, projectDirectory: process.cwd() },
    snapshot.users.map((user) => user.userId),
  );
  if (previous.warning !== null) console.error(`warning: ${previous.warning}`);

  synthesize({
    plan: plan(snapshot, allowlist, now),
    completedActions: previous.completedActions,
    // Every `enforce` of one `terraform apply` then shares one fresh scan.
    runId: runIdFor(snapshot),
    allowlist,
    allowlistFile,
    cliCommand: ['node', path.join(__dirname, 'bin', 'iam-allowlist.js')],
    // The CLI's relative defaults (audit log, backups) then land where `cdktf deploy` was started.
    workingDirectory: process.cwd(),
    manageDeclaredUsers: process.env.IAM_ALLOWLIST_MANAGE_USERS === '1',
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  process.exitCode = 1;
});
