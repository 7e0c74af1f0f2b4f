import './sdk-node-warning';
import { Command, Option } from 'commander';
import { DEFAULT_AUDIT_LOG_PATH, DEFAULT_BACKUP_DIR } from '../defaults';
import { AwsError, InternalError, RefusedError, UsageError } from '../errors';
import { InterruptedError, SIGNAL_EXIT_CODES } from '../executor/interruption';
import { applyGlobalOptions, cliVersion, type GlobalOptions } from './global-options';
import { normaliseArgv } from './output';

/**
 * The `iam-allowlist` command line. Each command lives in src/commands and returns its exit code;
 * this file only parses arguments and maps errors to exit code 1 with a readable message (130 / 143
 * for a mutating run that SIGINT / SIGTERM stopped).
 */
export async function runCli(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(normaliseArgv(argv));
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

function buildProgram(): Command {
  const program = new Command('iam-allowlist')
    .description('Keep an AWS account free of IAM users nobody declared in allowlist.yaml.')
    .version(cliVersion(), '-V, --version', 'print the version')
    .option('-q, --quiet', 'no progress and no allowlist warnings on stderr (results and errors are still printed)')
    .option('--no-color', 'no colours (also -no-color; none anyway when NO_COLOR is set or output is not a terminal)')
    .option('--profile <name>', "AWS profile (sets AWS_PROFILE: the profile's region, SSO and role settings apply)")
    .option('--region <region>', "AWS region of the global services (sets AWS_REGION; default: the SDK's region chain)")
    .hook('preAction', (root) => applyGlobalOptions(root.opts<GlobalOptions>()))
    .showHelpAfterError()
    .exitOverride((err) => {
      // commander's own usage errors (unknown option, missing argument) and --help/--version.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') process.exit(0);
      process.exit(1);
    });

  const allowlistOption = () =>
    new Option('-a, --allowlist <file>', 'allowlist file').default(process.env.IAM_ALLOWLIST_FILE ?? 'allowlist.yaml');
  const assumeRoleOption = () =>
    new Option('--assume-role <role-arn>', 'assume this role in the target account first (one stack per account)');
  const nowOption = () => new Option('--now <iso-time>', 'evaluate expiries and activity as of this time (testing, reviews)');

  program
    .command('validate')
    .description('check an allowlist; exit 0 valid, 1 invalid')
    .argument('[file]', 'allowlist file', process.env.IAM_ALLOWLIST_FILE ?? 'allowlist.yaml')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'github', 'json']).default('text'))
    .addOption(nowOption())
    .action(async (file: string, opts) => exit(await (await import('../commands/validate')).validateCommand({ file, ...opts })));

  program
    .command('init')
    .description('write an allowlist that declares every user of the live account (adopting the tool removes nobody)')
    .option('-o, --output <file>', 'where to write', 'allowlist.yaml')
    .option('--force', 'overwrite an existing file', false)
    .option('--owner <owner>', 'owner for users without an owner tag')
    .addOption(nowOption())
    .addOption(assumeRoleOption())
    .action(async (opts) => exit(await (await import('../commands/init')).initCommand(opts)));

  program
    .command('plan')
    .description('show what would be removed and why; exit 0 nothing to do, 2 changes pending, 3 blocked by a guard, 1 error')
    .addOption(allowlistOption())
    .addOption(new Option('-f, --format <format>', 'output').choices(['text', 'json', 'markdown']).default('text'))
    .option('--snapshot <file>', 'plan offline from a saved snapshot instead of reading the account')
    .option('--save-snapshot <file>', 'also write the account snapshot to this file')
    .option('-o, --out <file>', 'also write a saved plan for `apply FILE` (not with --now)')
    .addOption(nowOption())
    .addOption(assumeRoleOption())
    .action(async (opts) => exit(await (await import('../commands/plan')).planCommand(opts)));

  program
    .command('apply')
    .description('plan (or read a saved plan), confirm, enforce every planned removal; exit 0 done, 3 blocked or refused, 1 error')
    .argument('[plan-file]', 'carry out exactly the actions of this saved plan (plan -o), each re-checked live')
    .option('--max-plan-age <duration>', 'with a plan file: refuse a plan older than this (s, m, h, d; default 24h)')
    .addOption(allowlistOption())
    .option('--auto-approve', 'do not ask for confirmation', false)
    .option('--parallelism <n>', 'users acted on at once, 1 to 16 (default 4)')
    .addOption(backupDirOption())
    .addOption(auditLogOption())
    .addOption(assumeRoleOption())
    .action(async (planFile: string | undefined, opts, command: Command) => {
      const allowlistGiven = command.getOptionValueSource('allowlist') === 'cli';
      exit(await (await import('../commands/apply')).applyCommand({ ...opts, planFile, allowlistGiven }));
    });

  program
    .command('enforce')
    .description('carry out one planned action after re-checking it live (what Terraform local-exec calls)')
    .addOption(allowlistOption())
    .addOption(new Option('--action <action>', 'planned action').choices(['delete', 'quarantine']).makeOptionMandatory())
    .requiredOption('--user <name>', 'user name')
    .requiredOption('--user-id <id>', 'the UserId seen at plan time (a recreated user is refused)')
    .option('--run-id <id>', 'actions with the same run id share one fresh account scan')
    .option('--expect-build <id>', 'refuse unless this is the build that synthesized the stack (the stack passes it)')
    .addOption(backupDirOption())
    .addOption(auditLogOption())
    .addOption(assumeRoleOption())
    .action(async ({ expectBuild, ...opts }) => {
      (await import('../commands/build-pin')).assertExpectedBuild(expectBuild);
      exit(await (await import('../commands/enforce')).enforceCommand(opts));
    });

  program
    .command('release')
    .description('undo a quarantine: remove the deny policy and re-activate the keys that were active')
    .requiredOption('--user <name>', 'user name')
    .addOption(backupDirOption())
    .addOption(auditLogOption())
    .addOption(assumeRoleOption())
    .action(async (opts) => exit(await (await import('../commands/release')).releaseCommand(opts)));

  program
    .command('restore')
    .description('recreate a deleted user from its backup, and say what cannot come back')
    .requiredOption('--backup <file>', 'backup file written before the deletion')
    .addOption(auditLogOption())
    .addOption(assumeRoleOption())
    .action(async (opts) => exit(await (await import('../commands/restore')).restoreCommand(opts)));

  program
    .command('policy')
    .description('print the least-privilege IAM policy the tool needs')
    .addOption(
      new Option('--for <use>', 'plan (read-only), enforce, release or restore')
        .choices(['plan', 'enforce', 'release', 'restore'])
        .default('plan'),
    )
    .action(async (opts) => exit(await (await import('../commands/policy')).policyCommand(opts)));

  program
    .command('sandbox')
    .description('start the local AWS-compatible endpoint (IAM, KMS, STS) and print the variables that point tools at it')
    .option('-p, --port <port>', 'port on 127.0.0.1 (0: any free port)', '0')
    .option('--empty', 'start with an empty account instead of the sandbox account', false)
    .action(async (opts) => {
      const { runSandboxCommand } = await import('../endpoint/cli');
      await runSandboxCommand({ port: Number(opts.port), empty: Boolean(opts.empty) });
    });

  program
    .command('demo')
    .description('run the whole job against the built-in sandbox: validate, plan, apply, plan again')
    .option('--terraform', 'also synthesize with cdktf and run terraform plan/apply', false)
    .option('--full', "show every command's full output (the whole plan text, terraform's output)", false)
    .action(async (opts) => exit(await (await import('../commands/demo')).demoCommand(opts)));

  return program;
}

function backupDirOption(): Option {
  return new Option('--backup-dir <dir>', 'where user backups are written').default(DEFAULT_BACKUP_DIR);
}

function auditLogOption(): Option {
  return new Option('--audit-log <file>', 'append-only log of every mutating call').default(DEFAULT_AUDIT_LOG_PATH);
}

function exit(code: number): void {
  process.exitCode = code;
}

function reportError(err: unknown): number {
  if (err instanceof InterruptedError) {
    // 128 + signal number, as a shell reports a process the signal ended.
    process.stderr.write(`Stopped: ${err.message}\n`);
    return SIGNAL_EXIT_CODES[err.signal];
  }
  if (err instanceof UsageError) {
    process.stderr.write(`Error: ${err.message}\n${err.hint ? `  fix: ${err.hint}\n` : ''}`);
  } else if (err instanceof RefusedError) {
    process.stderr.write(`Refused: ${err.message}\n${err.reasons.map((r) => `  - ${r}\n`).join('')}`);
  } else if (err instanceof AwsError) {
    process.stderr.write(`AWS error in ${err.operation}: ${err.code}: ${err.message}\n`);
  } else if (err instanceof InternalError) {
    process.stderr.write(`Internal error (a bug in iam-allowlist, please report it): ${err.stack ?? err.message}\n`);
  } else {
    const e = err as { name?: string; message?: string; stack?: string };
    process.stderr.write(`Unexpected error: ${e?.name ?? 'Error'}: ${e?.message ?? String(err)}\n`);
  }
  return 1;
}

if (require.main === module) {
  void runCli(process.argv);
}
