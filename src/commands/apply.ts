import * as readline from 'readline';
import { AwsClients } from '../aws/clients';
import { DEFAULT_AUDIT_LOG_PATH, DEFAULT_BACKUP_DIR } from '../defaults';
import { AuditLog } from '../executor';
import { installStopHandlers, onStopRequested, requestStop, SIGNAL_EXIT_CODES, stopRequested } from '../executor/interruption';
import { plannedActions, blockingFindings } from '../plan/plan';
import { renderText } from '../plan/render/text';
import { aliasSuffix, runFactsOf, type RunFacts } from '../plan/render/run-facts';
import { outputSettings } from '../cli/output';
import { loadAllowlistOrThrow, obtainSnapshot, planForDisplay } from './context';
import {
  DEFAULT_ENFORCE_CONCURRENCY,
  describeFailure,
  describeResult,
  describeStop,
  enforceActions,
  liveRecheckPlan,
  recheckMaxAgeMs,
} from './enforcement';
import { BoundedAgeScan } from './shared-scan';
import { ExitCode } from '../plan/render/exit-code';
import { exitCodeOfRun } from './run-exit-code';
import { plural } from '../plural';
import { allowlistDigest } from '../allowlist/digest';
import { RefusedError, UsageError } from '../errors';
import { readCallerIdentity } from '../inventory/caller';
import type { Allowlist } from '../model/allowlist';
import type { Plan } from '../model/plan';
import { DEFAULT_MAX_PLAN_AGE_MS, parseMaxPlanAge, savedPlanRefusals, type SavedPlan } from '../plan/saved-plan';
import { readSavedPlan } from './saved-plan';

export interface ApplyOptions {
  /** Assume this role first (see AwsClients). */
  readonly assumeRole?: string;
  readonly allowlist: string;
  readonly autoApprove?: boolean;
  /** Default DEFAULT_BACKUP_DIR (".iam-allowlist/backups"). */
  readonly backupDir?: string;
  /** Default DEFAULT_AUDIT_LOG_PATH (".iam-allowlist/audit.log"). */
  readonly auditLog?: string;
  /** `apply FILE`: carry out this saved plan's actions (plan -o) instead of planning again. Default: plan live. */
  readonly planFile?: string;
  /** With planFile: -a was given (else the plan's own allowlist path is used). Default false. */
  readonly allowlistGiven?: boolean;
  /** With planFile: refuse a plan older than this ("24h", "90m"; parseMaxPlanAge). Default DEFAULT_MAX_PLAN_AGE_MS (24 h). */
  readonly maxPlanAge?: string;
  /** Users acted on at once (`--parallelism`, as in `terraform apply -parallelism=n`): 1 to 16. Default DEFAULT_ENFORCE_CONCURRENCY (4). */
  readonly parallelism?: string;
}

/** The largest --parallelism: IAM throttles account-wide at about 15 requests per second, so more users at once only queue. */
export const MAX_PARALLELISM = 16;

/** `--parallelism` as a whole number from 1 to MAX_PARALLELISM, or a UsageError before any AWS call. */
export function parseParallelism(value: string | undefined): number {
  if (value === undefined) return DEFAULT_ENFORCE_CONCURRENCY;
  const parsed = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_PARALLELISM) {
    throw new UsageError(
      `--parallelism ${JSON.stringify(value)} is not a whole number from 1 to ${MAX_PARALLELISM}`,
      `give e.g. --parallelism 1 to act on one user at a time (default ${DEFAULT_ENFORCE_CONCURRENCY})`,
    );
  }
  return parsed;
}

/**
 * Plan, show, confirm, enforce. Exit codes (ExitCode, exitCodeOfRun): 0 every planned action carried out
 * or nothing to do; 3 the run is blocked by a guard (nothing changed) or a safety check refused an action
 * at the moment of change (the others went on); 1 an error, a failed action or a cancelled prompt;
 * 130 / 143 SIGINT / SIGTERM stopped it (the calls in flight are finished and recorded, nothing more is sent).
 */
export async function applyCommand(options: ApplyOptions): Promise<number> {
  // Mutating commands always judge expiry and activity by the real clock: a --now in the future
  // would turn held users into deletions.
  const now = new Date();
  const concurrency = parseParallelism(options.parallelism);
  if (options.maxPlanAge !== undefined && options.planFile === undefined) {
    const fix = 'give the plan file too: iam-allowlist apply FILE --max-plan-age 24h';
    throw new UsageError('--max-plan-age applies to a saved plan only', fix);
  }
  const saved = options.planFile !== undefined ? readSavedPlan(options.planFile) : null;
  // apply FILE re-reads the allowlist the plan was made from, unless -a names another (its digest must match too).
  const allowlistFile = saved !== null && !options.allowlistGiven ? saved.allowlist.file : options.allowlist;
  const allowlist = loadAllowlistOrThrow(allowlistFile, now);
  const clients = new AwsClients({ assumeRoleArn: options.assumeRole });
  let removeStopHandlers = () => {};
  try {
    // One scan source for the plan shown and every re-check: reused while younger than
    // guards.recheckMaxAgeSeconds, taken again when older (a slow approval, a long apply).
    const scan = new BoundedAgeScan(async () => {
      const startedAt = Date.now();
      return { snapshot: await obtainSnapshot(allowlist, { now: new Date(startedAt) }, clients), startedAt };
    });
    const { plan, facts } =
      saved !== null
        ? await usableSavedPlan(saved, { file: options.planFile!, allowlistFile, clients, now, maxPlanAge: options.maxPlanAge })
        : await freshPlan(scan, allowlist, now, clients);
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
    const audit = new AuditLog({ path: options.auditLog ?? DEFAULT_AUDIT_LOG_PATH, command: 'apply' });
    audit.open();
    const approved = options.autoApprove || (await confirm(`\n${confirmationQuestion(actions.length, plan.accountId, facts)} `));
    const signal = stopRequested();
    if (!approved || signal) {
      process.stdout.write(`${signal ? '\n' : ''}Apply cancelled; nothing was changed.\n`);
      audit.end('stopped', `cancelled at the confirmation prompt${signal ? ` by ${signal}` : ''}; nothing was changed`);
      return signal ? SIGNAL_EXIT_CODES[signal] : ExitCode.error;
    }

    const outcome = await enforceActions(actions, {
      clients,
      accountId: plan.accountId,
      backupDir: options.backupDir ?? DEFAULT_BACKUP_DIR,
      auditLog: audit,
      recentlyActiveDays: allowlist.guards.recentlyActiveDays,
      freshPlan: liveRecheckPlan({ allowlistFile, scan }),
      startRecheckScan: () => scan.prefetch(recheckMaxAgeMs(allowlist)),
      answeredRecheckScan: () => scan.answered(),
      concurrency,
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

/** The plan shown before the prompt, its named keys described; the re-checks reuse the scan itself (no DescribeKey). */
async function freshPlan(
  scan: BoundedAgeScan,
  allowlist: Allowlist,
  now: Date,
  clients: AwsClients,
): Promise<{ plan: Plan; facts: RunFacts }> {
  const shown = await planForDisplay(await scan.get(recheckMaxAgeMs(allowlist)), allowlist, now, clients);
  return { plan: shown.plan, facts: runFactsOf(shown.snapshot) };
}

interface SavedPlanUse {
  readonly file: string;
  readonly allowlistFile: string;
  readonly clients: AwsClients;
  readonly now: Date;
  readonly maxPlanAge?: string;
}

/**
 * The saved plan, if it may be carried out now: made for the live account (one GetCallerIdentity), from the
 * allowlist as it is now (same SHA-256), and not older than --max-plan-age. Otherwise RefusedError, nothing read
 * beyond the caller and nothing changed. Its actions are still each re-checked live at the moment of change.
 */
async function usableSavedPlan(saved: SavedPlan, use: SavedPlanUse): Promise<{ plan: Plan; facts: RunFacts }> {
  const maxAgeMs = use.maxPlanAge !== undefined ? parseMaxPlanAge(use.maxPlanAge) : DEFAULT_MAX_PLAN_AGE_MS;
  const caller = await readCallerIdentity(use.clients.sts);
  const refusals = savedPlanRefusals(saved, {
    liveAccountId: caller.account,
    allowlistSha256: allowlistDigest(use.allowlistFile),
    allowlistFile: use.allowlistFile,
    now: use.now,
    maxAgeMs,
  });
  if (refusals.length > 0) throw new RefusedError(`the saved plan ${use.file} cannot be carried out; nothing was changed`, refusals);
  process.stdout.write(
    `Saved plan ${use.file}, made ${saved.createdAt} by ${saved.caller.arn}: ${plural(saved.actions.length, 'action')}, ` +
      'each re-checked live before its change (no other action is added)\n\n',
  );
  return { plan: saved.plan, facts: saved.facts };
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
