/**
 * Fault suite for the executor's promises (issue 10), one summary line per scenario. The CLI runs as
 * a child process (`node bin/iam-allowlist.js`) against the local endpoint of this jest process, so
 * signals and SIGKILL hit a real process; the long-apply scenario runs in-process with a test clock.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { sleep } from '../../src/util/sleep';
import { readAuditJournal, type AuditIntentEntry } from '../../src/executor/audit';
import { childEnv, CLI } from '../e2e/helpers';
import { seedFullUser, useExecutorEndpoint } from '../executor/helpers';
import { addKeyPolicyNaming, allowlistYaml, applyInProcess, seedDoomedUsers } from '../executor/promises-fixture';
import { UNWRITABLE_PATHS } from '../executor/unwritable-paths';
import { DEFAULT_ENFORCE_CONCURRENCY } from '../../src/commands/enforcement';

const fixture = useExecutorEndpoint('promises-faults-');
afterEach(() => fixture.ep.faults.clear());

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);
const arnOf = (name: string) => `arn:aws:iam::${fixture.ep.accountId}:user/${name}`;

/** `apply --auto-approve` of `allowlist`, logging to `auditLog`, backups in the fixture's directory. */
function autoApply(allowlist: string, auditLog: string): string[] {
  return ['apply', '--auto-approve', '-a', allowlist, '--audit-log', auditLog, '--backup-dir', path.join(fixture.workDir, 'backups')];
}
// Child processes start from TypeScript sources (ts-node): about a second each.
jest.setTimeout(240_000);

interface Child {
  readonly process: ChildProcess;
  readonly done: Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function startCli(args: readonly string[], options: { readonly viaTerminal?: boolean } = {}): Child {
  const argv = [CLI, ...args];
  const child = options.viaTerminal
    ? spawn(
        'script',
        [
          '-q',
          '-e',
          '-c',
          argv
            .map((a) => `'${a}'`)
            .join(' ')
            .replace(/^/, 'node '),
          '/dev/null',
        ],
        {
          cwd: fixture.workDir,
          env: childEnv(fixture.ep, fixture.workDir),
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      )
    : spawn('node', argv, { cwd: fixture.workDir, env: childEnv(fixture.ep, fixture.workDir), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const done = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    }),
  );
  return { process: child, done };
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function mutatingRequests(): string[] {
  return fixture.ep
    .requestLog()
    .filter((r) => r.mutating)
    .map((r) => r.operation);
}

function intents(auditLog: string): AuditIntentEntry[] {
  return readAuditJournal(auditLog).filter((l): l is AuditIntentEntry => l.phase === 'intent');
}

function writeAllowlist(declared: readonly string[] = [], guards: Record<string, string | number> = {}): string {
  const file = path.join(fixture.workDir, 'allowlist.yaml');
  fs.writeFileSync(file, allowlistYaml(declared, guards));
  return file;
}

test('audit log unwritable in four ways -> apply sends 0 mutating calls and names the path and OS error', async () => {
  const seen: string[] = [];
  for (const way of UNWRITABLE_PATHS) {
    fixture.ep.reset('empty');
    seedDoomedUsers(fixture.ep, names('leaver', 3));
    const allowlist = writeAllowlist();
    const auditLog = way.make(fs.mkdtempSync(path.join(fixture.workDir, 'way-')));
    const run = await startCli(autoApply(allowlist, auditLog)).done;

    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Error: cannot write the audit log ${auditLog}: ${way.words}`);
    expect(run.stderr).toContain('; no change was made');
    expect(mutatingRequests()).toEqual([]);
    expect(fixture.ep.state.iam.users.size).toBe(3);
    seen.push(`${way.how}: 0`);
  }
  console.log(
    `fault: audit-log-unwritable x${UNWRITABLE_PATHS.length} -> mutating calls per way (${seen.join('; ')}), exit 1, error names path and OS error`,
  );
});

test('SIGKILL at every mutating step of a deletion -> every mutating call that reached the endpoint has its intent line; each next run reconciles', async () => {
  const seeded = await seedFullUser(fixture.iam, 'victim');
  const allowlist = writeAllowlist();
  const auditLog = path.join(fixture.workDir, 'audit.log');
  const backups = path.join(fixture.workDir, 'backups');
  const enforceArgs = [
    'enforce',
    '--action',
    'delete',
    '--user',
    'victim',
    '--user-id',
    seeded.userId,
    '-a',
    allowlist,
    '--audit-log',
    auditLog,
    '--backup-dir',
    backups,
  ];
  const steps = [
    'DeleteLoginProfile',
    'DeleteAccessKey',
    'DeactivateMFADevice',
    'DeleteVirtualMFADevice',
    'DeleteSigningCertificate',
    'DeleteSSHPublicKey',
    'DeleteServiceSpecificCredential',
    'DeleteUserPolicy',
    'DetachUserPolicy',
    'RemoveUserFromGroup',
    'DeleteUser',
  ];
  fixture.ep.resetCounters();
  const killedAt: string[] = [];
  for (const operation of steps) {
    fixture.ep.faults.clear();
    fixture.ep.faults.setLatency(`iam:${operation}`, 1500);
    const known = intents(auditLog).length;
    const child = startCli(enforceArgs);
    await waitFor(`an intent line for ${operation}`, () =>
      intents(auditLog)
        .slice(known)
        .some((i) => i.operation === operation),
    );
    child.process.kill('SIGKILL');
    const run = await child.done;
    expect(run.signal).toBe('SIGKILL');
    killedAt.push(operation);
    // The held request is answered (and recorded) by the endpoint after its latency.
    await waitFor(`the endpoint to record ${operation}`, () => mutatingRequests().includes(operation), 5000).catch(() => undefined);
    const intentCounts = new Map<string, number>();
    for (const i of intents(auditLog)) intentCounts.set(i.operation, (intentCounts.get(i.operation) ?? 0) + 1);
    const requestCounts = new Map<string, number>();
    for (const op of mutatingRequests()) requestCounts.set(op, (requestCounts.get(op) ?? 0) + 1);
    for (const [op, n] of requestCounts) expect({ op, intents: Math.min(n, intentCounts.get(op) ?? 0) }).toEqual({ op, intents: n });
  }
  fixture.ep.faults.clear();
  const last = await startCli(enforceArgs).done;
  expect(last.status).toBe(0);
  expect(fixture.ep.state.iam.users.has('victim')).toBe(false);
  const journal = readAuditJournal(auditLog);
  const reconciled = journal.filter((l) => l.phase === 'reconcile').length;
  const pendingLeft = intents(auditLog).filter(
    (i) => !journal.some((l) => (l.phase === 'outcome' || l.phase === 'reconcile') && l.callId === i.callId),
  );
  expect(reconciled).toBe(steps.length);
  expect(pendingLeft).toEqual([]);
  const requests = mutatingRequests().length;
  console.log(
    `fault: sigkill x${killedAt.length} (one per mutating step) -> ${requests} mutating requests reached the endpoint, ${intents(auditLog).length} intent lines ` +
      `(none missing), ${reconciled} reconciled by the next run, final run deleted the user`,
  );
});

test('allowlist edited and a KMS reference added during a 60-user apply -> those users refused (test clock, 2 s per user)', async () => {
  const users = names('leaver', 60);
  seedDoomedUsers(fixture.ep, users);
  const allowlistFile = writeAllowlist();
  const declaredLater = users.slice(50);
  const namedByKms = users.slice(40, 50);
  let clockMs = Date.now();
  let done = 0;
  let kmsAtStart = 0;
  const kmsCalls = () =>
    Object.entries(fixture.ep.counters())
      .filter(([op]) => op.startsWith('kms:'))
      .reduce((a, [, n]) => a + n, 0);

  const { outcome, scan, planned } = await applyInProcess({
    clients: fixture.clients,
    allowlistFile,
    workDir: fixture.workDir,
    clock: () => clockMs,
    onStep: (e) => {
      if (e.index === 1 && e.phase === 'start' && kmsAtStart === 0) kmsAtStart = kmsCalls();
      if (e.phase !== 'done' || e.stepId !== 'delete-user') return;
      done++;
      clockMs += 2000;
      if (done === 20) {
        fs.writeFileSync(allowlistFile, allowlistYaml(declaredLater));
        addKeyPolicyNaming(fixture.ep, namedByKms.map(arnOf));
      }
    },
  });

  const refused = new Set(outcome.failures.map((f) => f.action.userName));
  const declaredRefused = declaredLater.filter((n) => refused.has(n) && fixture.ep.state.iam.users.has(n)).length;
  const kmsRefused = namedByKms.filter((n) => refused.has(n) && fixture.ep.state.iam.users.has(n)).length;
  expect(planned).toBe(60);
  expect(declaredRefused).toBe(declaredLater.length);
  expect(kmsRefused).toBe(namedByKms.length);
  expect(outcome.results).toHaveLength(40);
  const addedKms = kmsCalls() - kmsAtStart;
  console.log(
    `fault: allowlist-changed-and-kms-reference during a 60-user apply (120 s on the test clock, bound 60 s) -> users declared after the change refused ` +
      `${declaredRefused}/${declaredLater.length}, users named by the new key policy refused ${kmsRefused}/${namedByKms.length}, 40 others deleted; ` +
      `${scan.scansTaken - 1} re-scan(s) added ${addedKms} KMS calls`,
  );
});

test('apply --auto-approve re-reads the allowlist and re-scans once the bound passes (CLI, recheckMaxAgeSeconds 1)', async () => {
  // apply acts on DEFAULT_ENFORCE_CONCURRENCY users at once: users 1-4 are re-checked at the start,
  // users 5 and 6 only once a slot frees (after a DeleteUser held 1.5 s), after the edit.
  const users = names('leaver', DEFAULT_ENFORCE_CONCURRENCY + 2);
  const [declaredLater, namedLater] = [users[DEFAULT_ENFORCE_CONCURRENCY]!, users[DEFAULT_ENFORCE_CONCURRENCY + 1]!];
  seedDoomedUsers(fixture.ep, users);
  const allowlist = writeAllowlist([], { recheckMaxAgeSeconds: 1 });
  fixture.ep.faults.setLatency('iam:DeleteUser', 1500);
  const child = startCli(autoApply(allowlist, path.join(fixture.workDir, 'audit.log')));
  // The first user's keys are gone: its DeleteUser (held 1.5 s) is next. Now the operator edits.
  await waitFor('the first deletion to start', () => (fixture.ep.state.iam.users.get(users[0]!)?.accessKeys.length ?? 0) === 0).catch(
    async (err) => {
      child.process.kill('SIGKILL');
      const out = await child.done;
      throw new Error(`${(err as Error).message}\n${out.stdout}\n${out.stderr}`);
    },
  );
  fs.writeFileSync(allowlist, allowlistYaml([declaredLater], { recheckMaxAgeSeconds: 1 }));
  addKeyPolicyNaming(fixture.ep, [arnOf(namedLater)]);
  const run = await child.done;

  // Refused at the re-check, nothing else failed: exit 3 (issue 14 item 3), not the error code 1.
  expect(run.status).toBe(3);
  expect(fixture.ep.state.iam.users.has(users[0]!)).toBe(false);
  expect(fixture.ep.state.iam.users.has(declaredLater)).toBe(true);
  expect(fixture.ep.state.iam.users.has(namedLater)).toBe(true);
  expect(run.stdout).toContain(`! ${declaredLater} `);
  expect(run.stdout).toContain(`! ${namedLater} `);
  const deleted = users.filter((n) => !fixture.ep.state.iam.users.has(n)).length;
  console.log(
    `fault: apply-auto-approve-edit -> declared-during-apply refused, KMS-named-during-apply refused, ${deleted} deleted, exit ${run.status}`,
  );
});

test('a signal mid-apply -> the calls in flight finish and are recorded, no further change, summary, exit 130 / 143; at the prompt nothing is changed', async () => {
  const lines: string[] = [];
  for (const [signal, code, operation] of [
    ['SIGINT', 130, 'DeleteUser'],
    ['SIGTERM', 143, 'DeleteAccessKey'],
  ] as const) {
    fixture.ep.reset('empty');
    // DEFAULT_ENFORCE_CONCURRENCY users start at once; the two after them must never start.
    const users = names('leaver', DEFAULT_ENFORCE_CONCURRENCY + 2);
    const notStarted = users.slice(DEFAULT_ENFORCE_CONCURRENCY);
    seedDoomedUsers(fixture.ep, users);
    const allowlist = writeAllowlist();
    const auditLog = path.join(fs.mkdtempSync(path.join(fixture.workDir, 'sig-')), 'audit.log');
    fixture.ep.faults.setLatency(`iam:${operation}`, 1500);
    const child = startCli(autoApply(allowlist, auditLog));
    await waitFor(`the first ${operation} intent`, () => intents(auditLog).some((i) => i.operation === operation));
    child.process.kill(signal);
    const run = await child.done;

    expect(run.status).toBe(code);
    const journal = readAuditJournal(auditLog);
    const flightIntent = intents(auditLog).find((i) => i.operation === operation)!;
    expect(journal.some((l) => l.phase === 'outcome' && l.callId === flightIntent.callId)).toBe(true);
    expect(mutatingRequests().length).toBe(journal.filter((l) => l.phase === 'outcome').length);
    // Every intent has its outcome: the calls in flight finished and were recorded, nothing was sent after.
    expect(journal.filter((l) => l.phase === 'intent').length).toBe(journal.filter((l) => l.phase === 'outcome').length);
    expect(run.stdout).toContain(`Stopped by ${signal}: the calls in flight were finished and recorded; no further change was sent.`);
    expect(run.stdout).toMatch(new RegExp(`left: (.*, )?${notStarted.map((n) => `${n} \\(delete\\)`).join(', ')}\n`));
    for (const name of notStarted) expect(fixture.ep.state.iam.users.get(name)?.accessKeys.length).toBe(1);
    lines.push(
      `${signal} during ${operation} -> exit ${run.status}, ${mutatingRequests().length} mutating call(s) all recorded, ${notStarted.length} not started`,
    );
  }

  fixture.ep.reset('empty');
  seedDoomedUsers(fixture.ep, names('leaver', 2));
  const allowlist = writeAllowlist();
  const child = startCli(
    [
      'apply',
      '-a',
      allowlist,
      '--audit-log',
      path.join(fixture.workDir, 'prompt-audit.log'),
      '--backup-dir',
      path.join(fixture.workDir, 'backups'),
    ],
    { viaTerminal: true },
  );
  let out = '';
  child.process.stdout!.on('data', (c: string) => (out += c));
  await waitFor('the confirmation prompt', () => out.includes("Only 'yes' will be accepted"));
  child.process.stdin!.write('\x03');
  const prompt = await child.done;
  expect(prompt.stdout).toContain('Apply cancelled; nothing was changed.');
  expect(prompt.status).toBe(130);
  expect(mutatingRequests()).toEqual([]);
  lines.push(`Ctrl-C at the prompt -> "Apply cancelled; nothing was changed.", exit ${prompt.status}, 0 mutating calls`);
  console.log(`fault: signal-mid-apply -> ${lines.join('; ')}`);
});
