import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { startEndpoint } from '../endpoint';
import { applyCommand } from './apply';
import { planCommand } from './plan';
import { releaseCommand } from './release';
import { restoreCommand } from './restore';
import { validateCommand } from './validate';

export interface DemoOptions {
  /** Also synthesize with cdktf and run real terraform init/plan/apply against the sandbox. */
  readonly terraform?: boolean;
  /** Allowlist to use. Default: the repository's allowlist.yaml (written for the sandbox account). */
  readonly allowlist?: string;
}

/**
 * The whole job against the built-in sandbox: starts the local endpoint seeded with the sandbox
 * account, points the SDK at it through AWS_ENDPOINT_URL, then validate -> plan -> apply -> plan.
 * Backups and the audit log go to a fresh temporary directory, printed at the end.
 */
export async function demoCommand(options: DemoOptions): Promise<number> {
  const allowlist = path.resolve(options.allowlist ?? 'allowlist.yaml');
  const endpoint = await startEndpoint({ seed: 'sandbox' });
  const restoreEnv = setEnv(endpoint.env());
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-allowlist-demo-'));
  // Where the CLI's defaults put them when run in `work` (as terraform's local-exec does).
  const backupDir = path.join(work, '.iam-allowlist', 'backups');
  const auditLog = path.join(work, '.iam-allowlist', 'audit.log');
  const say = (title: string) => process.stdout.write(`\n=== ${title} ===\n\n`);
  try {
    say(`Sandbox account ${endpoint.accountId} served at ${endpoint.url}`);
    process.stdout.write(endpoint.exportLines().join('\n') + '\n');

    say(`iam-allowlist validate ${path.relative(process.cwd(), allowlist)}`);
    if ((await validateCommand({ file: allowlist })) !== 0) return 1;

    say('iam-allowlist plan');
    endpoint.resetCounters();
    const planExit = await planCommand({ allowlist });
    const meaning = planExit === 1 ? ': the run is blocked, nothing would be removed' : planExit === 2 ? ': changes pending' : ': nothing to do';
    process.stdout.write(`(exit code ${planExit}${meaning}; ${apiCallLine(endpoint.counters())})\n`);

    say('iam-allowlist apply --auto-approve   (guards.kms: block)');
    const blockedExit = await applyCommand({ allowlist, autoApprove: true, backupDir, auditLog });
    process.stdout.write(`(exit code ${blockedExit}: with guards.kms: block, one KMS reference stops the whole run)\n`);

    const holdAllowlist = path.join(work, 'allowlist.yaml');
    fs.writeFileSync(holdAllowlist, withKmsGuard(fs.readFileSync(allowlist, 'utf8'), 'hold'));
    if (options.terraform) {
      const { runTerraformDemo } = await import('./demo-terraform');
      const code = await runTerraformDemo({ allowlist: holdAllowlist, work, env: endpoint.env() });
      if (code !== 0) return code;
    } else {
      say(`iam-allowlist apply --auto-approve   (a copy with guards.kms: hold: ${holdAllowlist})`);
      endpoint.resetCounters();
      const applyExit = await applyCommand({ allowlist: holdAllowlist, autoApprove: true, backupDir, auditLog });
      process.stdout.write(`(exit code ${applyExit}; ${apiCallLine(endpoint.counters())})\n`);
    }

    say('iam-allowlist plan   (again: only held users remain)');
    const again = await planCommand({ allowlist: holdAllowlist });
    process.stdout.write(`(exit code ${again})\n`);

    say('iam-allowlist release --user former-contractor');
    await releaseCommand({ user: 'former-contractor', backupDir, auditLog });

    const oldAdminBackup = listFiles(backupDir).find((f) => path.basename(f).includes('-old-admin-'));
    if (oldAdminBackup) {
      say(`iam-allowlist restore --backup ${oldAdminBackup}`);
      await restoreCommand({ backup: oldAdminBackup, auditLog });
    }

    say('What was written');
    for (const file of listFiles(work)) process.stdout.write(`  ${file}\n`);
    if (fs.existsSync(auditLog)) {
      const lines = fs.readFileSync(auditLog, 'utf8').trim().split('\n').length;
      process.stdout.write(`  (${lines} mutating calls in the audit log)\n`);
    }
    return 0;
  } finally {
    restoreEnv();
    await endpoint.stop();
  }
}

/** The allowlist text with guards.kms set, comments and layout kept. */
export function withKmsGuard(text: string, mode: 'block' | 'hold'): string {
  const doc = parseDocument(text);
  doc.setIn(['guards', 'kms'], mode);
  return doc.toString();
}

/** Sets variables for the rest of the demo; returns the function that puts the old values back. */
function setEnv(vars: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

function apiCallLine(counters: Record<string, number>): string {
  const total = Object.values(counters).reduce((a, b) => a + b, 0);
  return `${total} API calls`;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out.sort();
}
