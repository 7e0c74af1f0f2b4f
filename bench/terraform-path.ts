/**
 * `npm run bench -- --terraform`: the path users take, on a reseeded copy of the account the in-process
 * bench ran on (same accountFingerprint). Synthesis through the construct API the way main.ts does it
 * (IamAllowlistStack.fromAccount: allowlist file, account scan, plan, stack), then the real
 * `terraform init` and `terraform apply -auto-approve`, whose local-exec provisioners run the compiled
 * CLI's `enforce`, one process per action, sharing one re-check scan through --run-id.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { stringify } from 'yaml';
import { formatBuildId, runningBuildId, type BuildIdFile } from '../src/commands/build-pin';
import { DEFAULT_STACK_NAME } from '../src/construct/app';
import { IamAllowlistStack } from '../src/construct/iam-allowlist-stack';
import type { Allowlist } from '../src/model/allowlist';
import { checkApplied, type BenchSettings, type ScenarioReport } from './bench';
import type { BenchEndpoint } from './bench-endpoint';
import { measure, type PhaseMeasurement } from './measure';
import { fmtSeconds, formatPhase, quotient } from './report';

/** The package's root, from bench/ under ts-node and from .bench-build/bench/ compiled (scripts/bench.js) alike. */
function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'iam-allowlist')
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`the iam-allowlist package.json was not found above ${__dirname}`);
  }
}

const REPO_ROOT = packageRoot();
/** Plain JavaScript, not compiled: it stays in bench/. */
const PROBE = path.join(REPO_ROOT, 'bench', 'enforce-probe.js');
/** terraform's own default -parallelism, which users get. */
export const TERRAFORM_PARALLELISM = 10;

/** One `enforce` process as bench/enforce-probe.js recorded it (ms since the epoch). */
export interface EnforceProcessRecord {
  readonly pid: number;
  readonly startedAt: number;
  /** First turn of the event loop: modules loaded, main run. Null if the process exited before it. */
  readonly readyAt: number | null;
  readonly exitedAt: number;
  readonly exitCode: number;
  /** The process's peak resident set size (process.resourceUsage().maxRSS), KiB. */
  readonly maxRssKiB: number;
}

export interface Spread {
  readonly median: number;
  readonly max: number;
}

export interface EnforceProcesses {
  readonly count: number;
  /** Process start to modules loaded (node start-up + loading the compiled CLI), ms. Null without processes. */
  readonly startupMs: Spread | null;
  /** Process start to exit, ms. */
  readonly lifetimeMs: Spread | null;
  /** Peak RSS of each process, MiB. */
  readonly peakRssMiB: Spread | null;
  readonly exitCodes: Readonly<Record<string, number>>;
}

export interface TerraformPathReport {
  readonly synth: PhaseMeasurement;
  readonly init: PhaseMeasurement;
  readonly apply: PhaseMeasurement;
  readonly wallMs: number;
  readonly totalCalls: number;
  readonly enforce: EnforceProcesses;
  /** Account scans during terraform apply (successful ListAccountAliases: one per scan). */
  readonly applyScans: number;
  readonly parallelism: number;
  readonly terraformVersion: string;
  /** Digest of the account this path ran on: equal to the in-process run's, or the run fails. */
  readonly accountFingerprint: string;
  /** In-process figures of the same account, from the same process run. */
  readonly inProcess: { readonly applyMs: number; readonly planAndApplyMs: number; readonly planAndApplyCalls: number };
}

export interface TerraformRatios {
  /** The target's ratio: synth + init + apply against the in-process apply. */
  readonly wallVsInProcessApply: number | null;
  readonly wallVsInProcessPlanAndApply: number | null;
  readonly applyVsInProcessApply: number | null;
  readonly callsVsInProcessPlanAndApply: number | null;
}

export function terraformRatios(report: TerraformPathReport): TerraformRatios {
  const { inProcess } = report;
  return {
    wallVsInProcessApply: quotient(report.wallMs, inProcess.applyMs),
    wallVsInProcessPlanAndApply: quotient(report.wallMs, inProcess.planAndApplyMs),
    applyVsInProcessApply: quotient(report.apply.wallMs, inProcess.applyMs),
    callsVsInProcessPlanAndApply: quotient(report.totalCalls, inProcess.planAndApplyCalls),
  };
}

function spread(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, max: sorted[sorted.length - 1] };
}

/** The probe's JSON lines, summarised. */
export function summariseEnforceProcesses(probeText: string): EnforceProcesses {
  const records = probeText
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EnforceProcessRecord);
  const exitCodes: Record<string, number> = {};
  for (const r of records) exitCodes[String(r.exitCode)] = (exitCodes[String(r.exitCode)] ?? 0) + 1;
  return {
    count: records.length,
    startupMs: spread(records.filter((r) => r.readyAt !== null).map((r) => r.readyAt! - r.startedAt)),
    lifetimeMs: spread(records.map((r) => r.exitedAt - r.startedAt)),
    peakRssMiB: spread(records.map((r) => r.maxRssKiB / 1024)),
    exitCodes,
  };
}

/** The allowlist as a file `IamAllowlistStack.fromAccount` reads back to the same settings and users. */
export function allowlistYaml(allowlist: Allowlist): string {
  const users = allowlist.users.map((u) => ({
    name: u.name,
    path: u.path,
    owner: u.owner,
    reason: u.reason,
    ...(u.expires === null ? {} : { expires: u.expires }),
    ...(u.action === null ? {} : { action: u.action }),
    ...(u.inactiveAfterDays === null ? {} : { inactiveAfterDays: u.inactiveAfterDays }),
    ...(u.protect ? { protect: true } : {}),
  }));
  const exceptions = allowlist.exceptions.map((e) => ({
    name: e.name,
    ...(e.path === null ? {} : { path: e.path }),
    owner: e.owner,
    reason: e.reason,
    expires: e.expires,
  }));
  const document = {
    version: allowlist.version,
    ...(allowlist.account === null ? {} : { account: allowlist.account }),
    defaults: allowlist.defaults,
    guards: allowlist.guards,
    ...(allowlist.hygiene === undefined ? {} : { hygiene: allowlist.hygiene }),
    users,
    ...(exceptions.length === 0 ? {} : { exceptions }),
  };
  return stringify(document, { lineWidth: 0 });
}

/** `enforce --expect-build` refuses a stack synthesized by other sources than dist/ was compiled from: say so before terraform. */
function assertDistCurrent(): void {
  const file = path.join(REPO_ROOT, 'dist', 'build-id.json');
  const compiled = fs.existsSync(file) ? formatBuildId(JSON.parse(fs.readFileSync(file, 'utf8')) as BuildIdFile) : '(no dist/)';
  if (compiled !== runningBuildId()) {
    throw new Error(`dist/ (${compiled}) is not built from these sources (${runningBuildId()}): run \`npm run build\` in ${REPO_ROOT}`);
  }
}

interface ProcessOutput {
  readonly code: number;
  readonly stdout: string;
  /** stdout and stderr as they came. */
  readonly output: string;
}

/** Asynchronous on purpose: with --in-process-endpoint, the endpoint that terraform's local-exec processes call runs in this process. */
function runProcess(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ProcessOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, output }));
  });
}

/** Runs terraform; its stdout, or an error with the tail of its output. */
async function terraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const binary = process.env.TERRAFORM_BINARY_NAME ?? 'terraform';
  const result = await runProcess(binary, args, cwd, env);
  if (result.code !== 0) throw new Error(`terraform ${args.join(' ')} exited ${result.code}:\n${result.output.slice(-4000)}`);
  return result.stdout;
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

/**
 * Reseeds the account `report` was measured on (same `settings.seededAt`, proven by the fingerprint),
 * then synth, init and apply as users run them, each a measured phase.
 */
export async function runTerraformPath(ep: BenchEndpoint, settings: BenchSettings, report: ScenarioReport): Promise<TerraformPathReport> {
  assertDistCurrent();
  if (settings.seededAt === undefined) throw new Error('the Terraform path needs settings.seededAt to reseed the same account');
  const { seeded, fingerprint } = await ep.seed(settings.spec, settings.seededAt);
  if (fingerprint !== report.accountFingerprint)
    throw new Error('the Terraform path account differs from ours: ratios would not be comparable');
  await ep.applyLimits(settings.latencyMs, settings.limits);

  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-allowlist-bench-tf-'));
  try {
    const allowlistFile = path.join(project, 'allowlist.yaml');
    const allowlist = { ...seeded.allowlist, guards: { ...seeded.allowlist.guards, recheckMaxAgeSeconds: report.recheckMaxAgeSeconds } };
    fs.writeFileSync(allowlistFile, allowlistYaml(allowlist));
    const outdir = path.join(project, 'cdktf.out');
    const stackDir = path.join(outdir, 'stacks', DEFAULT_STACK_NAME);

    const synth = await measure('terraform path: synth (IamAllowlistStack.fromAccount: scan, plan, stack)', ep, async () => {
      const app = new App({ outdir, skipValidation: true });
      await IamAllowlistStack.fromAccount(app, DEFAULT_STACK_NAME, { allowlistFile, projectDirectory: project });
      app.synth();
    });
    log(`terraform path synth: ${fmtSeconds(synth.phase.wallMs)}, ${synth.phase.totalCalls} calls`);

    const probeFile = path.join(project, 'enforce-probe.jsonl');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
      IAM_ALLOWLIST_BENCH_PROBE: probeFile,
      NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require ${JSON.stringify(PROBE)}`].filter(Boolean).join(' '),
    };
    const version = (JSON.parse(await terraform(['version', '-json'], stackDir, env)) as { terraform_version: string }).terraform_version;
    const init = await measure(
      'terraform path: terraform init',
      ep,
      () => terraform(['init', '-input=false', '-no-color'], stackDir, env),
      {
        workInChildProcesses: true,
      },
    );
    log(`terraform path init: ${fmtSeconds(init.phase.wallMs)}`);

    let applyScans = 0;
    const apply = await measure(
      `terraform path: terraform apply (-parallelism ${TERRAFORM_PARALLELISM}, enforce per action)`,
      ep,
      async () => {
        await terraform(['apply', '-input=false', '-no-color', '-auto-approve', `-parallelism=${TERRAFORM_PARALLELISM}`], stackDir, env);
        applyScans = await ep.successfulCalls('ListAccountAliases');
      },
      { workInChildProcesses: true },
    );
    await checkApplied(ep, seeded, settings.spec, 'terraform apply');
    const enforce = summariseEnforceProcesses(fs.existsSync(probeFile) ? fs.readFileSync(probeFile, 'utf8') : '');
    log(`terraform path apply: ${fmtSeconds(apply.phase.wallMs)}, ${apply.phase.totalCalls} calls, ${enforce.count} enforce process(es)`);

    const phases = [synth.phase, init.phase, apply.phase];
    return {
      synth: synth.phase,
      init: init.phase,
      apply: apply.phase,
      wallMs: phases.reduce((n, p) => n + p.wallMs, 0),
      totalCalls: phases.reduce((n, p) => n + p.totalCalls, 0),
      enforce,
      applyScans,
      parallelism: TERRAFORM_PARALLELISM,
      terraformVersion: `Terraform v${version}`,
      accountFingerprint: fingerprint,
      inProcess: {
        applyMs: report.apply.measured.wallMs,
        planAndApplyMs: report.plan.measured.wallMs + report.apply.measured.wallMs,
        planAndApplyCalls: report.plan.measured.totalCalls + report.apply.measured.totalCalls,
      },
    };
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

const ms = (value: number): string => `${Math.round(value)} ms`;
const fmtRatio = (value: number | null): string => (value === null ? '-' : `${value.toFixed(2)}×`);

export function formatTerraformPath(report: TerraformPathReport): string {
  const r = terraformRatios(report);
  const e = report.enforce;
  const spreadText = (s: Spread | null): string => (s === null ? '-' : `median ${ms(s.median)}, max ${ms(s.max)}`);
  const exits = Object.entries(e.exitCodes)
    .map(([code, n]) => `${n}× exit ${code}`)
    .join(', ');
  return [
    `# Terraform path (${report.terraformVersion}; same account: fingerprint ${report.accountFingerprint.slice(0, 12)})`,
    '',
    formatPhase(report.synth, null),
    '',
    formatPhase(report.init, null),
    '',
    formatPhase(report.apply, null),
    `  enforce processes: ${e.count}${exits === '' ? '' : ` (${exits})`}; start-up ${spreadText(e.startupMs)}; lifetime ${spreadText(e.lifetimeMs)}`,
    `  each enforce process's peak RSS: ${e.peakRssMiB === null ? '-' : `median ${e.peakRssMiB.median.toFixed(0)} MiB, max ${e.peakRssMiB.max.toFixed(0)} MiB`} ` +
      `(the peak memory above: the bench process, where synth runs, and the endpoint)`,
    `  account scans during apply: ${report.applyScans} (shared through --run-id)`,
    '',
    `## Terraform path vs. in-process (same process run, same account)`,
    `  synth + init + apply: ${fmtSeconds(report.wallMs)} (synth ${fmtSeconds(report.synth.wallMs)}, init ${fmtSeconds(report.init.wallMs)}, ` +
      `apply ${fmtSeconds(report.apply.wallMs)}), ${report.totalCalls} calls`,
    `  in-process apply: ${fmtSeconds(report.inProcess.applyMs)}; plan + apply: ${fmtSeconds(report.inProcess.planAndApplyMs)}, ` +
      `${report.inProcess.planAndApplyCalls} calls`,
    `  ratio Terraform path / in-process apply: ${fmtRatio(r.wallVsInProcessApply)} ` +
      `(/ plan + apply ${fmtRatio(r.wallVsInProcessPlanAndApply)}; terraform apply alone / in-process apply ${fmtRatio(r.applyVsInProcessApply)}; ` +
      `calls / plan + apply ${fmtRatio(r.callsVsInProcessPlanAndApply)})`,
  ].join('\n');
}

/** The scenario's `--json` document with a `terraform` object added when the path ran; every other field unchanged. */
export function withTerraformPath(scenario: object, report: TerraformPathReport | null): object {
  return report === null ? scenario : { ...scenario, terraform: { ...report, ratios: terraformRatios(report) } };
}
