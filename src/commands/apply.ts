import * as readline from 'readline';
import { AwsClients } from '../aws/clients';
import { plan as computePlan, plannedActions, blockingFindings } from '../plan/plan';
import { renderText } from '../plan/render/text';
import type { Plan } from '../model/plan';
import { loadAllowlistOrThrow, obtainSnapshot } from './context';
import { describeFailure, describeResult, enforceActions, memoize } from './enforcement';

export interface ApplyOptions {
  /** Assume this role first (see AwsClients). */
  readonly assumeRole?: string;
  readonly allowlist: string;
  readonly autoApprove?: boolean;
  /** Default ".iam-allowlist/backups". */
  readonly backupDir?: string;
  /** Default ".iam-allowlist/audit.log". */
  readonly auditLog?: string;
}

/**
 * Plan, show, confirm, enforce. Exit 0 when every planned action was carried out (or there was
 * nothing to do), 1 when the run was blocked or any action was refused or failed.
 */
export async function applyCommand(options: ApplyOptions): Promise<number> {
  // Mutating commands always judge expiry and activity by the real clock: a --now in the future
  // would turn held users into deletions.
  const now = new Date();
  const allowlist = loadAllowlistOrThrow(options.allowlist, now);
  const clients = new AwsClients({ assumeRoleArn: options.assumeRole });
  try {
    const snapshot = await obtainSnapshot(allowlist, { now }, clients);
    const plan = computePlan(snapshot, allowlist, now);
    process.stdout.write(renderText(plan) + '\n');

    const blocking = blockingFindings(plan);
    if (blocking.length > 0) {
      process.stdout.write(`\nNothing was changed: ${blocking.length} finding(s) block this run (see "!" above).\n`);
      return 1;
    }
    const actions = plannedActions(plan);
    if (actions.length === 0) {
      process.stdout.write('\nNothing to do.\n');
      return 0;
    }
    if (!options.autoApprove && !(await confirm(`\nCarry out these ${actions.length} action(s)? Only 'yes' will be accepted: `))) {
      process.stdout.write('Apply cancelled; nothing was changed.\n');
      return 1;
    }

    // The plan shown is the plan approved. When a person took time to approve it, the guards are
    // re-checked against one fresh scan (shared by every action); otherwise the plan is seconds old.
    const freshPlan = options.autoApprove
      ? async (): Promise<Plan> => plan
      : memoize(async () => computePlan(await obtainSnapshot(allowlist, { now: new Date() }, clients), allowlist, new Date()));

    const { results, failures } = await enforceActions(actions, {
      clients,
      accountId: snapshot.accountId,
      backupDir: options.backupDir ?? '.iam-allowlist/backups',
      auditLog: options.auditLog ?? '.iam-allowlist/audit.log',
      recentlyActiveDays: allowlist.guards.recentlyActiveDays,
      freshPlan,
    });
    process.stdout.write('\n' + [...results.map(describeResult), ...failures.map(describeFailure)].join('\n') + '\n');
    process.stdout.write(`\nApply complete: ${results.length} done, ${failures.length} refused or failed.\n`);
    return failures.length === 0 ? 0 : 1;
  } finally {
    clients.destroy();
  }
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    process.stdout.write(`${question}\nstdin is not a terminal: pass --auto-approve to apply without a prompt.\n`);
    return false;
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}
