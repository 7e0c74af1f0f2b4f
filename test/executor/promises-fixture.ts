/**
 * Shared by the executor-promises tests: doomed users seeded straight into the endpoint's state,
 * allowlist files written and edited, and an apply run in-process the way `apply` runs it (one
 * bounded-age scan source, the allowlist file read again before each user) but with a test clock.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AwsClients } from '../../src/aws/clients';
import { enforceActions, liveRecheckPlan, recheckMaxAgeMs, type EnforcementOutcome } from '../../src/commands/enforcement';
import { BoundedAgeScan } from '../../src/commands/shared-scan';
import type { LocalEndpoint } from '../../src/endpoint/api';
import type { StepEvent } from '../../src/executor/run-steps';
import { loadAllowlistFile } from '../../src/allowlist/load';
import { takeSnapshot } from '../../src/inventory/inventory';
import { plan, plannedActions } from '../../src/plan/plan';

const DAY_MS = 24 * 60 * 60 * 1000;
export const ago = (days: number): Date => new Date(Date.now() - days * DAY_MS);

/** Undeclared, long unused users with one old access key each: every one is planned for deletion. */
export function seedDoomedUsers(ep: LocalEndpoint, names: readonly string[]): void {
  for (const name of names) {
    ep.state.iam.createUser({ name, createDate: ago(900) });
    ep.state.iam.createAccessKey(name, { createDate: ago(800) });
  }
}

/** An allowlist declaring `declared` (and nobody else), with room for every removal. */
export function allowlistYaml(declared: readonly string[], guards: Readonly<Record<string, string | number>> = {}): string {
  const guardLines = Object.entries({ kms: 'hold', ...guards }).map(([k, v]) => `  ${k}: ${v}`);
  return [
    'version: 1',
    'defaults:',
    '  maxRemovalsPerRun: 1000',
    'guards:',
    ...guardLines,
    'users:',
    '  - name: keeper',
    '    owner: platform',
    '    reason: stays',
    ...declared.flatMap((name) => [`  - name: ${name}`, '    owner: platform', '    reason: declared during the run']),
    '',
  ].join('\n');
}

/** A key policy in us-east-1 that names `userArn`: the kms guard holds that user from now on. */
export function addKeyPolicyNaming(ep: LocalEndpoint, userArns: readonly string[]): void {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ep.accountId}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'use', Effect: 'Allow', Principal: { AWS: [...userArns] }, Action: ['kms:Decrypt'], Resource: '*' },
    ],
  });
  ep.state.kms.createKey('us-east-1', { policy, description: 'added during the apply' });
}

export interface InProcessApply {
  readonly outcome: EnforcementOutcome;
  readonly scan: BoundedAgeScan;
  readonly planned: number;
}

/**
 * What `apply --auto-approve` does, in-process: plan from a bounded-age scan, then enforce every
 * planned action with the allowlist file read again and the scan re-taken when older than the bound.
 */
export async function applyInProcess(options: {
  readonly clients: AwsClients;
  readonly allowlistFile: string;
  readonly workDir: string;
  readonly clock: () => number;
  readonly onStep?: (event: StepEvent) => void | Promise<void>;
  /** Users at once (enforceActions' default when absent). */
  readonly concurrency?: number;
  /** Called between the plan and the apply (a test ages its clock here). */
  readonly beforeApply?: () => void;
  /** Called when a scan starts. */
  readonly onScanStart?: () => void;
}): Promise<InProcessApply> {
  const allowlist = loadAllowlistFile(options.allowlistFile).allowlist;
  const scan = new BoundedAgeScan(async () => {
    options.onScanStart?.();
    const startedAt = options.clock();
    return { startedAt, snapshot: await takeSnapshot(options.clients, { regions: allowlist.guards.regions, now: new Date() }) };
  }, options.clock);
  const snapshot = await scan.get(recheckMaxAgeMs(allowlist));
  const actions = plannedActions(plan(snapshot, allowlist, new Date()));
  options.beforeApply?.();
  const outcome = await enforceActions(actions, {
    clients: options.clients,
    accountId: snapshot.accountId,
    backupDir: path.join(options.workDir, 'backups'),
    auditLog: path.join(options.workDir, 'audit.log'),
    recentlyActiveDays: allowlist.guards.recentlyActiveDays,
    freshPlan: liveRecheckPlan({ allowlistFile: options.allowlistFile, scan }),
    startRecheckScan: () => scan.prefetch(recheckMaxAgeMs(allowlist)),
    answeredRecheckScan: () => scan.answered(),
    onStep: options.onStep,
    concurrency: options.concurrency,
  });
  return { outcome, scan, planned: actions.length };
}

export function writeFile(file: string, text: string): void {
  fs.writeFileSync(file, text);
}
