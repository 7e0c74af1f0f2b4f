/**
 * `npm run bench`: plan and apply against a generated account on the local endpoint with AWS's
 * documented rate limits and a per-call latency, compared with the lower bound and with the
 * per-user baseline script. `--scaling` prints a Markdown table of the plan phase at several sizes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command, InvalidArgumentError } from 'commander';
import { AwsClients } from '../src/aws/clients';
import { enforceActions, recheckMaxAgeMs, type ScannedPlan } from '../src/commands/enforcement';
import { BoundedAgeScan } from '../src/commands/shared-scan';
import { planForDisplay } from '../src/commands/context';
import { takeSnapshot } from '../src/inventory/inventory';
import { DEFAULT_RECHECK_MAX_AGE_SECONDS, type Allowlist } from '../src/model/allowlist';
import type { Plan, PlannedAction } from '../src/model/plan';
import { plan, plannedActions } from '../src/plan/plan';
import { runBaseline } from './baseline';
import { startInProcessEndpoint, type BenchEndpoint } from './bench-endpoint';
import { startEndpointProcess } from './endpoint-process';
import type { AccountSpec, SeededAccount } from './generate';
import { applyBound, DOCUMENTED_LIMITS, planBound, type Bound, type RateLimits } from './lower-bound';
import { measure, type PhaseMeasurement } from './measure';
import {
  baselineComparison,
  fmtSeconds,
  formatPhase,
  placementText,
  ratio,
  scalingJson,
  scalingTable,
  scenarioJson,
  sumCalls,
} from './report';
import type { ScalingRow } from './report';
import { formatTerraformPath, runTerraformPath, withTerraformPath } from './terraform-path';

export interface BenchSettings {
  readonly spec: AccountSpec;
  readonly latencyMs: number;
  readonly limits: RateLimits;
  /** Users of the D deletions the baseline runs on (it is extrapolated to all D); 0: no baseline. */
  readonly baselineUsers: number;
  /** Calls in flight per KMS region in the inventory (and in the baseline). Default 8. */
  readonly concurrency: number;
  /**
   * guards.recheckMaxAgeSeconds the lower bound assumes: each user's first mutation follows a scan by at most
   * this long. Default DEFAULT_RECHECK_MAX_AGE_SECONDS (60), the allowlist's default.
   */
  readonly recheckMaxAgeSeconds?: number;
  /** The clock the account is seeded relative to; the Terraform path reseeds with it (same fingerprint). Default: the scenario's start. */
  readonly seededAt?: Date;
}

export interface PhaseReport {
  readonly measured: PhaseMeasurement;
  readonly bound: Bound | null;
}

export interface ScenarioReport {
  readonly spec: AccountSpec;
  readonly latencyMs: number;
  readonly plan: PhaseReport;
  readonly apply: PhaseReport;
  readonly baseline:
    | (PhaseReport & {
        readonly usersRun: number;
        readonly scale: number;
        /** Whether the baseline's figures are scaled up from fewer users than the plan deletes (usersRun < deletions). */
        readonly extrapolated: boolean;
        /** Digest of the account the baseline ran on: equal to the report's, or the run fails. */
        readonly accountFingerprint: string;
      })
    | null;
  readonly planSummary: Plan['summary'];
  /** Digest of the generated account ours ran on (see accountFingerprint). */
  readonly accountFingerprint: string;
  readonly recheckMaxAgeSeconds: number;
  /** Where the endpoint ran: its own process (default), or the tool's (--in-process-endpoint; the tests). Absent in reports made before it could be either. */
  readonly endpoint?: EndpointPlacement;
  /** Re-check scans the apply took (the bound assumes apply.bound.recheckScans); absent in reports made before it was counted. */
  readonly applyRecheckScans?: number;
}

export type EndpointPlacement = 'separate-process' | 'in-process';

export function endpointPlacement(ep: BenchEndpoint): EndpointPlacement {
  return ep.separateProcess ? 'separate-process' : 'in-process';
}

/** The planned deletions are gone and nobody else: what an apply (ours, or terraform's) must leave. */
export async function checkApplied(ep: BenchEndpoint, seeded: SeededAccount, spec: AccountSpec, who: string): Promise<void> {
  const { present, users } = await ep.usersPresent(seeded.toDelete.map((u) => u.name));
  if (present.length > 0) throw new Error(`${who} left ${present.length} user(s) in place: ${present.slice(0, 10).join(', ')}`);
  if (users !== spec.users - spec.deletions) throw new Error(`${who} removed users it should not have`);
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

async function withClients<T>(work: (clients: AwsClients) => Promise<T>): Promise<T> {
  // A fresh set per phase, as separate `plan` and `apply` invocations would have.
  const clients = new AwsClients();
  try {
    return await work(clients);
  } finally {
    clients.destroy();
  }
}

async function planPhase(
  ep: BenchEndpoint,
  allowlist: Allowlist,
  now: Date,
  concurrency: number,
): Promise<{ plan: Plan; phase: PhaseMeasurement }> {
  const { result, phase } = await measure('plan (inventory + pure plan)', ep, () =>
    // What the `plan` command does: the scan, the pure plan, and DescribeKey for the keys its findings name.
    withClients(async (clients) => {
      const snapshot = await takeSnapshot(clients, { regions: allowlist.guards.regions, now, concurrency });
      return (await planForDisplay(snapshot, allowlist, now, clients)).plan;
    }),
  );
  return { plan: result, phase };
}

/**
 * The re-check `apply` gives the executor (liveRecheckPlan over a BoundedAgeScan): a scan at most
 * guards.recheckMaxAgeSeconds old, shared by every user while young enough, returned with that scan
 * (ScannedPlan) so each backup reads live only what the scan lacks. The allowlist is in memory here,
 * so it is not read again from a file; the plan is computed once per scan.
 */
function boundedAgeRecheck(
  clients: AwsClients,
  allowlist: Allowlist,
  concurrency: number,
): { readonly freshPlan: () => Promise<ScannedPlan>; readonly scan: BoundedAgeScan } {
  const maxAgeMs = recheckMaxAgeMs(allowlist);
  const scan = new BoundedAgeScan(async () => {
    const startedAt = Date.now();
    const snapshot = await takeSnapshot(clients, { regions: allowlist.guards.regions, now: new Date(startedAt), concurrency });
    return { snapshot, startedAt };
  });
  let last: ScannedPlan | null = null;
  const freshPlan = async (): Promise<ScannedPlan> => {
    const snapshot = await scan.get(maxAgeMs);
    if (last?.snapshot !== snapshot) last = { plan: plan(snapshot, allowlist, new Date()), snapshot, maxAgeMs };
    return last;
  };
  return { freshPlan, scan };
}

function checkPlan(p: Plan, seeded: SeededAccount): PlannedAction[] {
  const actions = plannedActions(p);
  const expected = seeded.toDelete.map((u) => u.name).sort();
  const got = actions
    .filter((a) => a.action === 'delete')
    .map((a) => a.userName)
    .sort();
  if (actions.length !== expected.length || got.join(',') !== expected.join(',')) {
    throw new Error(
      `plan deletes ${got.length} user(s) [${got.slice(0, 5).join(', ')}…], expected ${expected.length}; summary ${JSON.stringify(p.summary)}`,
    );
  }
  const held = new Set(p.users.filter((u) => u.decision === 'hold').map((u) => u.name));
  const missing = seeded.held.filter((name) => !held.has(name));
  if (missing.length > 0) throw new Error(`users referenced by KMS were not held: ${missing.join(', ')}`);
  return actions;
}

export async function runScenario(ep: BenchEndpoint, settings: BenchSettings): Promise<ScenarioReport> {
  const { spec, latencyMs, limits, concurrency } = settings;
  const recheckMaxAgeSeconds = settings.recheckMaxAgeSeconds ?? DEFAULT_RECHECK_MAX_AGE_SECONDS;
  const now = settings.seededAt ?? new Date();
  const t = Date.now();
  const { seeded, fingerprint } = await ep.seed(spec, now);
  log(`seeded ${spec.users} users, ${spec.keys} keys in ${spec.regions} regions, ${spec.grantsPerKey} grants/key in ${Date.now() - t} ms`);
  await ep.applyLimits(latencyMs, limits);

  // The age bound the run is judged under is the allowlist's own guard, as `apply` reads it.
  const allowlist: Allowlist = { ...seeded.allowlist, guards: { ...seeded.allowlist.guards, recheckMaxAgeSeconds } };
  const planned = await planPhase(ep, allowlist, now, concurrency);
  const actions = checkPlan(planned.plan, seeded);
  log(`plan: ${fmtSeconds(planned.phase.wallMs)}, ${planned.phase.totalCalls} calls, ${actions.length} deletion(s)`);

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-allowlist-bench-'));
  try {
    let recheck: ReturnType<typeof boundedAgeRecheck> | null = null;
    const applied = await measure('apply (enforceActions, bounded-age re-check scan)', ep, () =>
      withClients((clients) => {
        recheck = boundedAgeRecheck(clients, allowlist, concurrency);
        return enforceActions(actions, {
          clients,
          accountId: seeded.accountId,
          backupDir: path.join(workDir, 'backups'),
          auditLog: path.join(workDir, 'audit.log'),
          // As `apply` does: a live last-used check of each active key before a delete.
          recentlyActiveDays: allowlist.guards.recentlyActiveDays,
          freshPlan: recheck.freshPlan,
          startRecheckScan: () => recheck!.scan.prefetch(recheckMaxAgeMs(allowlist)),
          answeredRecheckScan: () => recheck!.scan.answered(),
        });
      }),
    );
    const applyRecheckScans = recheck!.scan.scansTaken;
    if (applied.result.failures.length > 0) {
      throw new Error(`apply failed for ${applied.result.failures.length} user(s): ${applied.result.failures[0].error.message}`);
    }
    await checkApplied(ep, seeded, spec, 'apply');
    log(`apply: ${fmtSeconds(applied.phase.wallMs)}, ${applied.phase.totalCalls} calls, ${applyRecheckScans} re-check scan(s)`);

    let baseline: ScenarioReport['baseline'] = null;
    const sample = Math.min(settings.baselineUsers, seeded.toDelete.length);
    if (sample > 0) {
      // Same account again, in this same process run: the endpoint's id generators restart and the
      // generator is deterministic; the fingerprint proves it (users, ids, keys, policies, grants).
      const { seeded: again, fingerprint: againFingerprint } = await ep.seed(spec, now);
      if (againFingerprint !== fingerprint) throw new Error('the baseline account differs from ours: ratios would not be comparable');
      await ep.applyLimits(latencyMs, limits);
      const names = again.toDelete.slice(0, sample).map((u) => u.name);
      const run = await measure(`baseline (per-user script, ${sample} of ${again.toDelete.length} users)`, ep, (meter) =>
        withClients((clients) => runBaseline(clients, names, { regions: again.regions, concurrency, afterUser: () => meter.flush() })),
      );
      if (run.result.deleted.length !== sample) throw new Error(`baseline deleted ${run.result.deleted.length} of ${sample}`);
      const deps = again.toDelete.slice(0, sample).map((u) => u.dependents);
      baseline = {
        measured: run.phase,
        bound: applyBound(again, deps, limits, latencyMs, recheckMaxAgeSeconds),
        usersRun: sample,
        scale: again.toDelete.length / sample,
        extrapolated: sample < again.toDelete.length,
        accountFingerprint: againFingerprint,
      };
      log(`baseline: ${fmtSeconds(run.phase.wallMs)}, ${run.phase.totalCalls} calls for ${sample} user(s)`);
    }

    return {
      spec,
      latencyMs,
      plan: { measured: planned.phase, bound: planBound(seeded, limits, latencyMs) },
      apply: {
        measured: applied.phase,
        bound: applyBound(
          seeded,
          seeded.toDelete.map((u) => u.dependents),
          limits,
          latencyMs,
          recheckMaxAgeSeconds,
        ),
      },
      baseline,
      planSummary: planned.plan.summary,
      accountFingerprint: fingerprint,
      recheckMaxAgeSeconds,
      endpoint: endpointPlacement(ep),
      applyRecheckScans,
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** The plan phase at one size, for the scaling table. */
export async function runScalingPoint(ep: BenchEndpoint, settings: BenchSettings): Promise<ScalingRow> {
  const now = new Date();
  const { seeded } = await ep.seed(settings.spec, now);
  await ep.applyLimits(settings.latencyMs, settings.limits);
  const planned = await planPhase(ep, seeded.allowlist, now, settings.concurrency);
  checkPlan(planned.plan, seeded);
  const bound = planBound(seeded, settings.limits, settings.latencyMs);
  const m = planned.phase;
  return {
    users: settings.spec.users,
    keys: settings.spec.keys,
    iamCalls: sumCalls(m.calls, 'iam'),
    kmsCalls: sumCalls(m.calls, 'kms'),
    totalCalls: m.totalCalls,
    minimumCalls: bound.totalCalls,
    wallMs: m.wallMs,
    minimumSeconds: bound.seconds,
    peakRssMiB: m.peakRssMiB,
    toolPeakRssMiB: m.toolPeakRssMiB,
    endpointPeakRssMiB: m.endpointPeakRssMiB,
  };
}

export function formatScenario(report: ScenarioReport): string {
  const s = report.spec;
  const lines = [
    `# iam-allowlist benchmark: ${s.users} users, ${s.keys} KMS keys in ${s.regions} regions, ${s.grantsPerKey} grants/key, ${s.deletions} deletions, latency ${report.latencyMs} ms`,
    `machine: ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}; rate limits: IAM ${DOCUMENTED_LIMITS.iamPerSecond} rps account-wide, KMS per region ${Object.entries(
      DOCUMENTED_LIMITS.kmsPerSecond,
    )
      .map(([op, r]) => `${op} ${r}`)
      .join(', ')}`,
    `endpoint: ${placementText(report.endpoint ?? 'in-process')}`,
    `plan summary: ${JSON.stringify(report.planSummary)}`,
    '',
    formatPhase(report.plan.measured, report.plan.bound),
    '',
    formatPhase(report.apply.measured, report.apply.bound),
    `  re-check scans: ${report.applyRecheckScans ?? '?'} (minimum ${report.apply.bound?.recheckScans ?? '?'}, ` +
      `each user's first change within ${report.recheckMaxAgeSeconds} s of a scan's start)`,
  ];
  const vs = baselineComparison(report);
  if (report.baseline && vs) {
    const b = report.baseline;
    lines.push('', formatPhase(b.measured, b.bound));
    const scaled = b.extrapolated ? ` (EXTRAPOLATED: measured on ${b.usersRun} user(s), × ${b.scale.toFixed(2)})` : '';
    lines.push(
      '',
      `## plan + apply vs. baseline (same process run, same account: fingerprint ${report.accountFingerprint.slice(0, 12)})`,
      `  baseline for all ${s.deletions} deletions${scaled}: ${Math.round(vs.baselineCalls)} calls ` +
        `(${Math.round(vs.baselineKmsCalls)} KMS), ${fmtSeconds(vs.baselineMs)}`,
      `  iam-allowlist plan + apply: ${vs.oursCalls} calls (${vs.oursKmsCalls} KMS), ${fmtSeconds(vs.oursMs)}`,
      `  ratio ours/baseline: calls ${ratio(vs.oursCalls, vs.baselineCalls)}, KMS calls ${ratio(vs.oursKmsCalls, vs.baselineKmsCalls)}, ` +
        `time ${ratio(vs.oursMs, vs.baselineMs)} (apply alone ${ratio(vs.applyMs, vs.baselineMs)})`,
    );
  }
  return lines.join('\n');
}

/** Plan-phase sizes of the scaling table: users grow with keys fixed, keys grow with users fixed, then both. */
export const SCALING_POINTS: readonly { users: number; keys: number }[] = [
  { users: 100, keys: 50 },
  { users: 1000, keys: 50 },
  { users: 5000, keys: 50 },
  { users: 100, keys: 500 },
  { users: 100, keys: 2000 },
  { users: 5000, keys: 2000 },
];

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

interface CliOptions {
  users?: number;
  keys?: number;
  regions?: number;
  grantsPerKey?: number;
  delete?: number;
  latencyMs?: number;
  large?: boolean;
  scaling?: boolean;
  json?: string;
  baselineUsers?: number;
  concurrency?: number;
  recheckMaxAge?: number;
  terraform?: boolean;
  inProcessEndpoint?: boolean;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('bench')
    .description('Benchmark plan and apply against a generated account on the local endpoint')
    .option('--users <U>', 'IAM users (default 500; --large 5000)', nonNegativeInt)
    .option('--keys <K>', 'customer-managed KMS keys (default 200; --large 2000)', nonNegativeInt)
    .option('--regions <R>', 'enabled regions the keys are spread over (default 3; --large 4)', nonNegativeInt)
    .option('--grants-per-key <G>', 'grants per key (default 3)', nonNegativeInt)
    .option('--delete <D>', 'undeclared users the plan deletes (default 20; --large 50)', nonNegativeInt)
    .option('--latency-ms <L>', 'added latency per call in ms (default 2)', nonNegativeInt)
    .option('--large', 'U=5000, K=2000, R=4, D=50 (baseline measured on 5 users and extrapolated)')
    .option('--scaling', 'only the plan phase at several sizes, as a Markdown table')
    .option(
      '--baseline-users <N>',
      'run the baseline on N of the D users and extrapolate (default: all; --large 5; 0: skip)',
      nonNegativeInt,
    )
    .option('--concurrency <N>', 'calls in flight per KMS region (default 8)', nonNegativeInt)
    .option('--recheck-max-age <S>', 'guards.recheckMaxAgeSeconds the lower bound assumes (default 60)', nonNegativeInt)
    .option('--terraform', 'also synth + terraform init + apply the same account (real binaries, compiled CLI)')
    .option('--in-process-endpoint', "run the local endpoint in the tool's process, as before (default: a process of its own)")
    .option('--json <file>', 'also write the results as JSON');
  program.parse(argv);
  const o = program.opts<CliOptions>();
  // `npm run bench --large` (without `--`) reaches us as npm's config variable, not as an argument.
  const large = o.large === true || process.env.npm_config_large === 'true';
  const deletions = o.delete ?? (large ? 50 : 20);
  const settings: BenchSettings = {
    spec: {
      users: o.users ?? (large ? 5000 : 500),
      keys: o.keys ?? (large ? 2000 : 200),
      regions: o.regions ?? (large ? 4 : 3),
      grantsPerKey: o.grantsPerKey ?? 3,
      deletions,
    },
    latencyMs: o.latencyMs ?? 2,
    limits: DOCUMENTED_LIMITS,
    baselineUsers: o.baselineUsers ?? (large ? 5 : deletions),
    concurrency: o.concurrency ?? 8,
    recheckMaxAgeSeconds: o.recheckMaxAge ?? DEFAULT_RECHECK_MAX_AGE_SECONDS,
    seededAt: new Date(),
  };

  const inProcess = o.inProcessEndpoint === true || process.env.npm_config_in_process_endpoint === 'true';
  const ep = inProcess ? await startInProcessEndpoint() : await startEndpointProcess();
  const savedEnv = { ...process.env };
  Object.assign(process.env, ep.env());
  try {
    if (o.scaling || process.env.npm_config_scaling === 'true') {
      const rows: ScalingRow[] = [];
      for (const point of SCALING_POINTS) {
        const spec: AccountSpec = { ...settings.spec, users: point.users, keys: point.keys, deletions: o.delete ?? 2 };
        const row = await runScalingPoint(ep, { ...settings, spec });
        log(`scaling U=${point.users} K=${point.keys}: ${row.totalCalls} calls, ${fmtSeconds(row.wallMs)}`);
        rows.push(row);
      }
      const intro = `Plan phase (inventory + pure plan), ${settings.spec.regions} regions, ${settings.spec.grantsPerKey} grants/key, latency ${settings.latencyMs} ms, documented rate limits; ${os.cpus().length} CPU(s), node ${process.version}; ${placementText(endpointPlacement(ep))}.`;
      process.stdout.write(`${intro}\n\n${scalingTable(rows)}\n`);
      if (o.json) fs.writeFileSync(o.json, JSON.stringify(scalingJson(settings, rows, endpointPlacement(ep)), null, 2) + '\n');
      return;
    }
    const report = await runScenario(ep, settings);
    const tf = o.terraform || process.env.npm_config_terraform === 'true' ? await runTerraformPath(ep, settings, report) : null;
    process.stdout.write(formatScenario(report) + (tf ? `\n\n${formatTerraformPath(tf)}` : '') + '\n');
    if (o.json) {
      const machine = { cpus: os.cpus().length, node: process.version };
      fs.writeFileSync(o.json, JSON.stringify(withTerraformPath(scenarioJson(report, machine), tf), null, 2) + '\n');
    }
  } finally {
    process.env = savedEnv;
    await ep.stop();
  }
}

if (require.main === module) {
  main(process.argv).catch((err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
