import * as readline from 'readline';
import { AwsClients } from '../aws/clients';
import { AuditLog } from '../executor';
import { installStopHandlers, onStopRequested, requestStop, SIGNAL_EXIT_CODES, stopRequested } from '../executor/interruption';
import { plan as computePlan, plannedActions, blockingFindings } from '../plan/plan';
import { renderText } from '../plan/render/text';
import { aliasSuffix, runFactsOf, type RunFacts } from '../plan/render/run-facts';
import { outputSettings } from '../cli/output';
import { loadAllowlistOrThrow, obtainSnapshot } from './context';
import { describeFailure, describeResult, describeStop, enforceActions, liveRecheckPlan, recheckMaxAgeMs } from './enforcement';
import { BoundedAgeScan } from './shared-scan';
import { ExitCode } from '../plan/render/exit-code';
import { exitCodeOfRun } from './run-exit-code';
import { plural } from '../plural';

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
 * Plan, show, confirm, enforce. Exit codes (ExitCode, exitCodeOfRun): 0 every planned action carried out
 * or nothing to do; 3 the run is blocked by a guard (nothing changed) or a safety check refused an action
 * at the moment of change (the others went on); 1 an error, a failed action or a cancelled prompt;
 * 130 / 143 SIGINT / SIGTERM stopped it (the call in flight is finished and recorded, nothing more is sent).
 */
export async function applyCommand(options: ApplyOptions): Promise<number> {
  // Mutating commands always judge expiry and activity by the real clock: a --now in the future
  // would turn held users into deletions.
  const now = new Date();
  const allowlist = loadAllowlistOrThrow(options.allowlist, now);
  const clients = new AwsClients({ assumeRoleArn: options.assumeRole });
  let removeStopHandlers = () => {};
  try {
    // One scan source for the plan shown and every re-check: reused while younger than
    // guards.recheckMaxAgeSeconds, taken again when older (a slow approval, a long apply).
    const scan = new BoundedAgeScan(async () => {
      const startedAt = Date.now();
      return { snapshot: await obtainSnapshot(allowlist, { now: new Date(startedAt) }, clients), startedAt };
    });
    const snapshot = await scan.get(recheckMaxAgeMs(allowlist));
    const plan = computePlan(snapshot, allowlist, now);
    const facts = runFactsOf(snapshot);
    process.stdout.write(renderText(plan, { facts, color: outputSettings().color }) + '\n');

    const blocking = blockingFindings(plan);
    if (blocking.length > 0) {
      const verb = blocking.length === 1 ? 'blocks' : 'block';
      process.stdout.write(`\nNothing was changed: ${plural(blocking.length, 'finding')} ${verb} this run (see "!" above).\n`);
      return ExitCode.blockedByGuard;
    }
    const actions = plannedActions(plan);
    if (actions.length === 0) {
      process.stdout.write('\nNothing to do.\n');
      return ExitCode.nothingToDo;
    }
    // Until here a signal just ends the process: nothing was sent. From here on it stops the run cleanly.
    removeStopHandlers = installStopHandlers();
    // Write-ahead: an audit log that cannot be written fails here, before anyone approves anything.
    const audit = new AuditLog({ path: options.auditLog ?? '.iam-allowlist/audit.log', command: 'apply' });
    audit.open();
    const approved = options.autoApprove || (await confirm(`\n${confirmationQuestion(actions.length, snapshot.accountId, facts)} `));
    const signal = stopRequested();
    if (!approved || signal) {
      process.stdout.write(`${signal ? '\n' : ''}Apply cancelled; nothing was changed.\n`);
      audit.end('stopped', `cancelled at the confirmation prompt${signal ? ` by ${signal}` : ''}; nothing was changed`);
      return signal ? SIGNAL_EXIT_CODES[signal] : ExitCode.error;
    }

    const outcome = await enforceActions(actions, {
      clients,
      accountId: snapshot.accountId,
      backupDir: options.backupDir ?? '.iam-allowlist/backups',
      auditLog: audit,
      recentlyActiveDays: allowlist.guards.recentlyActiveDays,
      freshPlan: liveRecheckPlan({ allowlistFile: options.allowlist, scan }),
    });
    const { results, failures, stop } = outcome;
    process.stdout.write('\n' + [...results.map(describeResult), ...failures.map(describeFailure)].join('\n') + '\n');
    if (stop) process.stdout.write(`\n${describeStop(outcome)}\n`);
    else process.stdout.write(`\nApply complete: ${results.length} done, ${failures.length} refused or failed.\n`);
    return exitCodeOfRun(outcome);
  } finally {
    removeStopHandlers();
    clients.destroy();
  }
}

/** The prompt names the account the changes go to, so nobody approves a run against the wrong one. */
export function confirmationQuestion(actions: number, accountId: string, facts: RunFacts | undefined): string {
  const these = actions === 1 ? 'this action' : `these ${plural(actions, 'action')}`;
  return `Carry out ${these} in account ${accountId}${aliasSuffix(facts)}? Only 'yes' will be accepted:`;
}

/** true only for "yes"; a signal (or Ctrl-C at the terminal) or end of input is a no. */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    process.stdout.write(`${question}\nstdin is not a terminal: pass --auto-approve to apply without a prompt.\n`);
    return false;
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  // In raw mode the terminal's Ctrl-C reaches readline, not the process: treat it as the signal.
  rl.on('SIGINT', () => requestStop('SIGINT'));
  let unsubscribe = () => {};
  try {
    const answer = await new Promise<string>((resolve) => {
      unsubscribe = onStopRequested(() => resolve(''));
      rl.on('close', () => resolve(''));
      rl.question(question, resolve);
    });
    return answer.trim() === 'yes';
  } finally {
    unsubscribe();
    rl.close();
  }
}
