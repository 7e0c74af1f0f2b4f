/**
 * The package as a team adopts it (slow: packs, installs, runs cdktf and terraform). `npm pack`
 * builds and packs this checkout; the tarball is installed into a temporary copy of
 * examples/consumer (dependencies from the npm cache, `--prefer-offline`); then the template's own
 * cdktf CLI synthesizes and plans, and the installed GitHub Action script deploys (`cdktf deploy`),
 * against the sandbox endpoint running in this process.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  DELETED,
  QUARANTINE_POLICY,
  QUARANTINED,
  REPO_ROOT,
  STACK_NAME,
  childEnv,
  expectStatus,
  flatten,
  run,
  sampleAllowlistText,
  tempDir,
  useSandboxAccount,
  type ProcessResult,
} from './helpers';

const INSTALL_TIMEOUT = 600_000;
const TEST_TIMEOUT = 300_000;
const TEMPLATE = path.join(REPO_ROOT, 'examples', 'consumer');
const ACTED_ON = [QUARANTINED, ...DELETED].sort();

const sandbox = useSandboxAccount();
let consumer: string;
let installTime: string;

/** The consumer's own binaries (node_modules/.bin), run in the consumer directory against the sandbox. */
function inConsumer(binary: string, args: readonly string[], timeoutMs = TEST_TIMEOUT): Promise<ProcessResult> {
  return run(path.join(consumer, 'node_modules', '.bin', binary), args, { cwd: consumer, env: childEnv(sandbox.ep, consumer), timeoutMs });
}

/** The terraform_data instances of the project's local state: applied, and tainted (a provisioner failed). */
function appliedResources(): { applied: string[]; tainted: string[] } {
  const state = JSON.parse(fs.readFileSync(path.join(consumer, `terraform.${STACK_NAME}.tfstate`), 'utf8')) as {
    resources?: Array<{ type: string; name: string; instances: Array<{ status?: string }> }>;
  };
  const data = (state.resources ?? []).filter((r) => r.type === 'terraform_data');
  const named = (tainted: boolean) =>
    data
      .filter((r) => r.instances.some((i) => (i.status === 'tainted') === tainted))
      .map((r) => r.name)
      .sort();
  return { applied: named(false), tainted: named(true) };
}

function terraform(...args: string[]): Promise<ProcessResult> {
  return run(process.env.TERRAFORM_BINARY_NAME ?? 'terraform', [...args, '-input=false', '-no-color'], {
    cwd: path.join(consumer, 'cdktf.out', 'stacks', STACK_NAME),
    env: childEnv(sandbox.ep, consumer),
    timeoutMs: TEST_TIMEOUT,
  });
}

beforeAll(async () => {
  const packDir = tempDir('pack');
  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  const npm = (args: string[], cwd: string) => run('npm', args, { cwd, env, timeoutMs: INSTALL_TIMEOUT });
  const pack = expectStatus(await npm(['pack', '--pack-destination', packDir], REPO_ROOT), 0, 'npm pack');
  const tarball = path.join(packDir, pack.stdout.trim().split('\n').pop()!);
  expect(fs.existsSync(tarball)).toBe(true);

  consumer = path.join(tempDir('consumer'), 'infra');
  fs.cpSync(TEMPLATE, consumer, { recursive: true, filter: (source) => !source.split(path.sep).includes('node_modules') });
  const manifestFile = path.join(consumer, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  manifest.dependencies['iam-allowlist'] = `file:${tarball}`;
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  const started = Date.now();
  expectStatus(await npm(['install', '--prefer-offline'], consumer), 0, 'npm install (consumer)');
  installTime = `${((Date.now() - started) / 1000).toFixed(1)} s`;
}, INSTALL_TIMEOUT);

describe('examples/consumer with the packed package installed', () => {
  it(
    'GIVEN the installed package WHEN the template is type-checked and its allowlist validated THEN both pass',
    async () => {
      process.stdout.write(`consumer install from the npm cache: ${installTime}\n`);
      expectStatus(await inConsumer('tsc', ['-p', '.']), 0, 'tsc (consumer main.ts against the package declarations)');
      const validate = expectStatus(await inConsumer('iam-allowlist', ['validate', 'allowlist.yaml']), 0, 'iam-allowlist validate');
      expect(validate.stdout).toContain('allowlist.yaml: valid (3 users');
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN guards.kms: block WHEN synthesized and planned THEN the plan fails on the KMS precondition, naming data-pipeline',
    async () => {
      fs.writeFileSync(path.join(consumer, 'allowlist.yaml'), sampleAllowlistText('block'));
      expectStatus(await inConsumer('cdktf', ['synth']), 0, 'cdktf synth');
      const stack = fs.readFileSync(path.join(consumer, 'cdktf.out', 'stacks', STACK_NAME, 'cdk.tf.json'), 'utf8');
      expect(stack).not.toContain(consumer);
      expectStatus(await terraform('init'), 0, 'terraform init');
      const plan = await terraform('plan', '-detailed-exitcode');
      expect(plan.status).toBe(1);
      expect(flatten(plan.stderr)).toContain('Resource precondition failed');
      expect(flatten(plan.stderr)).toContain('IAM user "data-pipeline"');
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN guards.kms: hold WHEN deployed by the installed action THEN the planned users are gone and a second plan has no changes',
    async () => {
      fs.writeFileSync(path.join(consumer, 'allowlist.yaml'), sampleAllowlistText('hold'));
      const summary = path.join(consumer, 'step-summary.md');
      // action.yml's run step: the package's own bin, which runs `cdktf deploy --auto-approve` in the project.
      const deploy = await run(path.join(consumer, 'node_modules', '.bin', 'iam-allowlist-action'), [], {
        cwd: consumer,
        env: { ...childEnv(sandbox.ep, consumer), INPUT_COMMAND: 'deploy', GITHUB_STEP_SUMMARY: summary },
        timeoutMs: TEST_TIMEOUT,
      });
      expectStatus(deploy, 0, 'iam-allowlist-action (deploy)');
      expect(fs.readFileSync(summary, 'utf8')).toContain('### iam-allowlist deploy: done');
      const stack = fs.readFileSync(path.join(consumer, 'cdktf.out', 'stacks', STACK_NAME, 'cdk.tf.json'), 'utf8');
      expect(stack).toContain('node_modules/iam-allowlist/bin/iam-allowlist.js');
      // The facts of the apply from the state terraform wrote in the project (cdktf's log rendering can drop lines under load).
      const addresses = ACTED_ON.map((name) => `${name === QUARANTINED ? 'quarantine' : 'delete'}_user_${name}`).sort();
      expect(appliedResources()).toEqual({ applied: addresses, tainted: [] });
      for (const name of DELETED) expect({ name, userId: await sandbox.view.userId(name) }).toEqual({ name, userId: null });
      expect(await sandbox.view.inlinePolicyNames(QUARANTINED)).toContain(QUARANTINE_POLICY);

      // THEN synthesized again, terraform itself sees nothing left to do.
      expectStatus(await inConsumer('cdktf', ['synth']), 0, 'second cdktf synth');
      const again = await terraform('plan', '-detailed-exitcode');
      expect({ status: again.status, noChanges: again.stdout.includes('No changes.') }).toEqual({ status: 0, noChanges: true });
    },
    TEST_TIMEOUT,
  );
});
