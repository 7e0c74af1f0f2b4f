import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { ANSI } from '../ansi';
import { configureOutput } from '../cli/output';
import { DEFAULT_AUDIT_LOG_PATH, DEFAULT_BACKUP_DIR } from '../defaults';
import { startEndpoint } from '../endpoint';
import { ExitCode } from '../plan/render/exit-code';
import { plural } from '../plural';
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
  /** Show every command's full output (the plan text, terraform's output) instead of the short story. Default false. */
  readonly full?: boolean;
}

/**
 * The whole job against the built-in sandbox, told once: starts the local endpoint seeded with the sandbox
 * account, points the SDK at it through AWS_ENDPOINT_URL, then validate -> plan -> apply (blocked) -> apply with
 * guards.kms: hold -> plan -> release -> restore. The allowlist's warnings are shown by validate only (the later
 * commands run quiet), plans as a few summary lines, and apply without the plan it repeats; `full` shows all.
 * Backups, the audit log and the hold copy of the allowlist live in a scratch directory removed at the end, also
 * when a step fails.
 */
export async function demoCommand(options: DemoOptions): Promise<number> {
  const allowlist = path.resolve(options.allowlist ?? 'allowlist.yaml');
  const full = options.full === true;
  const endpoint = await startEndpoint({ seed: 'sandbox' });
  const restoreEnv = setEnv(endpoint.env());
  const restoreOutput = configureOutput({});
  let work: string;
  try {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-allowlist-demo-'));
  } catch (err) {
    restoreOutput();
    restoreEnv();
    await endpoint.stop();
    throw err;
  }
  // Where the CLI's defaults put them when run in `work` (as terraform's local-exec does).
  const backupDir = path.join(work, DEFAULT_BACKUP_DIR);
  const auditLog = path.join(work, DEFAULT_AUDIT_LOG_PATH);
  const out = (text: string): void => void process.stdout.write(text);
  const step = (command: string, note = ''): void => out(`\n$ iam-allowlist ${command}${note ? `   # ${note}` : ''}\n`);
  const calls = (): string =>
    plural(
      Object.values(endpoint.counters()).reduce((a, b) => a + b, 0),
      'API call',
    );
  try {
    out(`Sandbox account ${endpoint.accountId} served at ${endpoint.url}\n`);

    const relative = path.relative(process.cwd(), allowlist);
    const shownAllowlist = relative.startsWith('..') || relative === '' ? allowlist : relative;
    step(`validate ${shownAllowlist}`);
    if ((await validateCommand({ file: shownAllowlist })) !== ExitCode.nothingToDo) return ExitCode.error;
    // Its warnings were shown once; every later command would repeat them.
    configureOutput({ quiet: true });

    step('plan', 'guards.kms: block');
    endpoint.resetCounters();
    const planExit = await planCommand({ allowlist: shownAllowlist, textView: full ? 'full' : 'summary' });
    out(`(exit code ${planExit}: ${PLAN_EXIT_MEANING[planExit] ?? 'error'}; ${calls()})\n`);

    step('apply --auto-approve', 'the same allowlist');
    const blocked = await told(full, work, () => applyCommand({ allowlist, autoApprove: true, backupDir, auditLog }));
    out(`${blocked.text}(exit code ${blocked.result}: with guards.kms: block, one KMS reference stops the whole run)\n`);

    const holdAllowlist = path.join(work, 'allowlist.yaml');
    fs.writeFileSync(holdAllowlist, withKmsGuard(fs.readFileSync(allowlist, 'utf8'), 'hold'));
    if (options.terraform) {
      const { runTerraformDemo } = await import('./demo-terraform');
      const code = await runTerraformDemo({ allowlist: holdAllowlist, work, env: endpoint.env(), full });
      if (code !== 0) return code;
    } else {
      step('apply --auto-approve -a allowlist-hold.yaml', 'a copy with guards.kms: hold');
      endpoint.resetCounters();
      const applied = await told(full, work, () => applyCommand({ allowlist: holdAllowlist, autoApprove: true, backupDir, auditLog }));
      out(`${applied.text}(exit code ${applied.result}; ${calls()})\n`);
    }

    step('plan -a allowlist-hold.yaml', 'again: only held users remain');
    const again = await planCommand({ allowlist: holdAllowlist, textView: full ? 'full' : 'summary' });
    out(`(exit code ${again}: ${PLAN_EXIT_MEANING[again] ?? 'error'})\n`);

    step('release --user former-contractor');
    out((await told(full, work, () => releaseCommand({ user: 'former-contractor', backupDir, auditLog }))).text);

    const oldAdminBackup = listFiles(backupDir).find((f) => path.basename(f).includes('-old-admin-'));
    if (oldAdminBackup) {
      step(`restore --backup ${path.relative(work, oldAdminBackup)}`);
      out((await told(full, work, () => restoreCommand({ backup: oldAdminBackup, auditLog }))).text);
    }

    const backups = listFiles(backupDir).length;
    const mutations = fs.existsSync(auditLog) ? fs.readFileSync(auditLog, 'utf8').trim().split('\n').length : 0;
    out(`\nWritten: ${plural(backups, 'user backup')}, an audit log of ${plural(mutations, 'mutating call')}`);
    out(' (in a scratch directory, removed now).\n');
    if (!full) out('`iam-allowlist demo --full` shows the full plans; `iam-allowlist sandbox` serves the sandbox.\n');
    return ExitCode.nothingToDo;
  } finally {
    restoreOutput();
    restoreEnv();
    await endpoint.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const PLAN_EXIT_MEANING: Readonly<Record<number, string>> = {
  [ExitCode.nothingToDo]: 'nothing to do',
  [ExitCode.changesPending]: 'changes pending',
  [ExitCode.blockedByGuard]: 'the run is blocked by a guard, nothing would be removed',
};

/**
 * Runs a command with its stdout captured and returned for the story: without the plan text a command prints before
 * its own results (apply: the demo has just shown that plan), without the backup notes the closing line counts, and
 * with paths in the scratch directory relative to it. With `full`, everything is printed as it comes.
 */
async function told(full: boolean, work: string, command: () => Promise<number>): Promise<{ result: number; text: string }> {
  if (full) return { result: await command(), text: '' };
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    const result = await command();
    const rest = chunks
      // The plan chunk (bold on a terminal: apply colours its plan like plan does).
      .filter(
        (chunk) => !(chunk.startsWith(ANSI.bold) ? chunk.slice(ANSI.bold.length) : chunk).startsWith('iam-allowlist plan for account'),
      )
      .join('')
      .split('\n')
      .filter((line) => !/^\s+note: wrote backup /.test(line))
      .join('\n')
      .split(`${work}${path.sep}`)
      .join('')
      .trim();
    return { result, text: rest === '' ? '' : `${rest}\n` };
  } finally {
    process.stdout.write = write;
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

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out.sort();
}
