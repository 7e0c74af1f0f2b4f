/**
 * End to end with the real binaries: `cdktf` (synth, plan, deploy), `terraform` (init, plan, apply)
 * whose local-exec provisioners run `node bin/iam-allowlist.js enforce`, all against the sandbox
 * endpoint started in this process. What happened is checked through the real AWS SDK.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  CreateAccessKeyCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { startEndpoint, type LocalEndpoint } from '../../src/endpoint';
import {
  AccountView,
  DELETED,
  HELD,
  QUARANTINE_POLICY,
  QUARANTINED,
  UNTOUCHED,
  backupFiles,
  expectStatus,
  flatten,
  removeTempDirs,
  secretLookingKeys,
} from './helpers';
import { CdktfProject } from './project';

const TEST_TIMEOUT = 240_000;
const ACTED_ON = [QUARANTINED, ...DELETED].sort();

let ep: LocalEndpoint;
let view: AccountView;

beforeAll(async () => {
  ep = await startEndpoint({ seed: 'sandbox' });
  view = new AccountView(ep);
});

beforeEach(() => ep.reset('sandbox'));

afterAll(async () => {
  view?.destroy();
  await ep?.stop();
  removeTempDirs();
});

/** The address of an acted-on user's terraform_data: the action is in its name. */
function addressOf(name: string): string {
  return `${name === QUARANTINED ? 'quarantine' : 'delete'}_user_${name}`;
}

function willBeCreated(name: string): RegExp {
  // terraform: `# terraform_data.delete_user_x will be created`; cdktf adds the construct id: `(delete_user_x)`.
  return new RegExp(`# terraform_data\\.${addressOf(name)}( \\(${addressOf(name)}\\))? will be created`);
}

/** Terraform's one-line verdict: "No changes." or "Plan: N to add, N to change, N to destroy." */
function planSummary(text: string): string {
  return text.match(/No changes\.|Plan: \d+ to add, \d+ to change, \d+ to destroy\./)?.[0] ?? '(no plan summary in the output)';
}

interface RecordedState {
  /** terraform_data.<action>_user_<name> -> the UserId and action in its input, for every instance applied without error. */
  readonly applied: Record<string, { readonly userId: unknown; readonly action: unknown }>;
  /** Resource instances terraform marked tainted (a provisioner failed). */
  readonly tainted: string[];
  /** The stack's outputs, output name -> value. */
  readonly outputs: Record<string, unknown>;
}

/**
 * What terraform wrote to the project's state file (terraform.<stack>.tfstate, local backend): the facts of an apply,
 * read instead of cdktf's rendering of terraform's log, which can drop lines on a loaded machine.
 */
function recordedState(project: CdktfProject): RecordedState {
  interface StateInstance {
    readonly status?: string;
    readonly attributes?: { readonly input?: { readonly value?: { readonly user_id?: unknown; readonly action?: unknown } } };
  }
  const state = JSON.parse(fs.readFileSync(project.stateFile, 'utf8')) as {
    readonly resources?: ReadonlyArray<{ readonly type: string; readonly name: string; readonly instances: readonly StateInstance[] }>;
    readonly outputs?: Record<string, { readonly value: unknown }>;
  };
  const applied: Record<string, { userId: unknown; action: unknown }> = {};
  const tainted: string[] = [];
  for (const resource of state.resources ?? []) {
    if (resource.type !== 'terraform_data') continue;
    for (const instance of resource.instances) {
      const input = instance.attributes?.input?.value;
      if (instance.status === 'tainted') tainted.push(resource.name);
      else applied[resource.name] = { userId: input?.user_id, action: input?.action };
    }
  }
  const outputs = Object.fromEntries(Object.entries(state.outputs ?? {}).map(([name, output]) => [name, output.value]));
  return { applied, tainted, outputs };
}

/** The text of the terraform error block that mentions `needle`, whitespace-collapsed. */
function errorBlockMentioning(stderr: string, needle: string): string {
  const block = stderr.split(/(?=Error: )/).find((b) => b.includes(needle));
  if (block === undefined) throw new Error(`no terraform error mentions ${needle}:\n${stderr}`);
  return flatten(block);
}

async function expectEnforced(before: Record<string, Record<string, unknown> | null>): Promise<void> {
  for (const name of DELETED) expect({ name, userId: await view.userId(name) }).toEqual({ name, userId: null });

  const quarantined = await view.fingerprint(QUARANTINED);
  expect(quarantined).not.toBeNull();
  expect(quarantined!.userId).toBe(before[QUARANTINED]!.userId);
  expect(quarantined!.inlinePolicies).toContain(QUARANTINE_POLICY);
  expect(quarantined!.loginProfile).toBe(false);
  const keyStatuses = Object.values(quarantined!.accessKeys as Record<string, string>);
  expect(keyStatuses.length).toBeGreaterThan(0);
  expect(keyStatuses.every((s) => s === 'Inactive')).toBe(true);

  // Every declared user and every held user is exactly as it was.
  expect(await view.fingerprints(UNTOUCHED)).toEqual(Object.fromEntries(UNTOUCHED.map((n) => [n, before[n]])));
}

describe('cdktf synth + terraform against the sandbox', () => {
  it(
    'GIVEN the sample allowlist (guards.kms: block) WHEN terraform plans THEN the precondition fails naming data-pipeline and its eu-west-1 key, and apply changes nothing',
    async () => {
      const project = new CdktfProject(ep, { kms: 'block' });
      const keyArn = await view.keyArnOfAlias('eu-west-1', 'alias/data-pipeline');
      expect(keyArn).toMatch(/^arn:aws:kms:eu-west-1:111122223333:key\//);
      const before = await view.fingerprints(await view.userNames());

      expectStatus(await project.cdktf('synth'), 0, 'cdktf synth');
      expectStatus(await project.terraform('init'), 0, 'terraform init');
      const plan = await project.terraform('plan', '-detailed-exitcode');

      expect(plan.status).toBe(1);
      expect(plan.stderr).toContain('Resource precondition failed');
      const dataPipeline = errorBlockMentioning(plan.stderr, 'IAM user "data-pipeline"');
      expect(dataPipeline).toContain('terraform_data.delete_user_data-pipeline');
      expect(dataPipeline).toContain('arn:aws:iam::111122223333:user/service/data-pipeline');
      expect(dataPipeline).toContain(keyArn);

      const apply = await project.terraform('apply', '-auto-approve');
      expect(apply.status).toBe(1);
      expect(apply.flat).not.toContain('local-exec');
      expect(await view.fingerprints(Object.keys(before))).toEqual(before);
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN guards.kms: hold WHEN synthesized, planned and applied THEN exactly the planned users are deleted or quarantined, backed up without secrets, and the next plan is clean',
    async () => {
      const project = new CdktfProject(ep, { kms: 'hold' });
      // Secrets AWS hands out only once: no backup or audit line may contain them.
      const key = await view.iam.send(new CreateAccessKeyCommand({ UserName: 'temp-deploy-user' }));
      const credential = await view.iam.send(
        new CreateServiceSpecificCredentialCommand({ UserName: 'old-admin', ServiceName: 'codecommit.amazonaws.com' }),
      );
      const secrets = [key.AccessKey!.SecretAccessKey!, credential.ServiceSpecificCredential!.ServicePassword!];
      expect(secrets.every((s) => s.length >= 16)).toBe(true);
      const before = await view.fingerprints(await view.userNames());

      // WHEN synthesized: one terraform_data per planned action, carrying the plan-time UserId.
      expectStatus(await project.cdktf('synth'), 0, 'cdktf synth');
      const resources = project.stackJson().resource?.terraform_data ?? {};
      expect(Object.keys(resources).sort()).toEqual(ACTED_ON.map(addressOf).sort());
      for (const name of ACTED_ON) expect(resources[addressOf(name)]!.input!.user_id).toBe(before[name]!.userId);

      // WHEN planned: the reviewer sees the four actions and nothing for held users.
      expectStatus(await project.terraform('init'), 0, 'terraform init');
      const plan = expectStatus(await project.terraform('plan', '-detailed-exitcode'), 2, 'terraform plan');
      for (const name of ACTED_ON) expect(plan.stdout).toMatch(willBeCreated(name));
      for (const name of HELD) expect(plan.stdout).not.toMatch(new RegExp(`terraform_data\\.(delete|quarantine)_user_${name}\\b`));
      expect(plan.stdout).toContain('Plan: 4 to add, 0 to change, 0 to destroy.');
      expect(plan.flat).toMatch(/IAM user "report-generator" is held/);

      // WHEN applied: local-exec runs enforce for each action.
      const apply = expectStatus(await project.terraform('apply', '-auto-approve'), 0, 'terraform apply');
      expect(apply.stdout).toContain('Apply complete! Resources: 4 added, 0 changed, 0 destroyed.');
      await expectEnforced(before);

      // THEN one backup per acted-on user, in the project directory, with no secret in it.
      const backups = backupFiles(project.backupDir);
      const backedUp = backups.map((file) => JSON.parse(fs.readFileSync(file, 'utf8')) as { user: { name: string; userId: string } });
      expect(backedUp.map((b) => b.user.name).sort()).toEqual(ACTED_ON);
      for (const b of backedUp) expect(b.user.userId).toBe(before[b.user.name]!.userId);
      for (const file of backups) {
        const text = fs.readFileSync(file, 'utf8');
        expect({ file: path.basename(file), keys: secretLookingKeys(JSON.parse(text)) }).toEqual({ file: path.basename(file), keys: [] });
        for (const secret of secrets) expect(text).not.toContain(secret);
      }
      const audit = fs.readFileSync(project.auditLog, 'utf8');
      expect(audit).toContain('"operation":"DeleteUser"');
      for (const secret of secrets) expect(audit).not.toContain(secret);

      // THEN re-synthesized and planned again: nothing left to do.
      expectStatus(await project.cdktf('synth'), 0, 'second cdktf synth');
      const second = await project.terraform('plan', '-detailed-exitcode');
      expect({ status: second.status, summary: planSummary(second.stdout) }).toEqual({ status: 0, summary: 'No changes.' });
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN guards.kms: hold WHEN `cdktf plan` then `cdktf deploy --auto-approve` THEN the users are enforced, state is kept in the project and the next `cdktf plan` has no changes',
    async () => {
      const project = new CdktfProject(ep, { kms: 'hold' });
      const before = await view.fingerprints(await view.userNames());

      expectStatus(await project.cdktf('plan'), 0, 'cdktf plan');
      expect(await view.fingerprints(Object.keys(before))).toEqual(before);
      // What cdktf planned, from terraform itself in the stack cdktf synthesized and initialised (not cdktf's log rendering).
      const plan = expectStatus(await project.terraform('plan', '-detailed-exitcode'), 2, 'terraform plan of the cdktf stack');
      for (const name of ACTED_ON) expect(plan.stdout).toMatch(willBeCreated(name));
      expect(planSummary(plan.stdout)).toBe('Plan: 4 to add, 0 to change, 0 to destroy.');

      expectStatus(await project.cdktf('deploy', '--auto-approve'), 0, 'cdktf deploy');
      // THEN the state kept in the project records the four actions, on the UserIds that were planned.
      const recorded = recordedState(project);
      expect(recorded.tainted).toEqual([]);
      expect(recorded.applied).toEqual(
        Object.fromEntries(
          ACTED_ON.map((n) => [addressOf(n), { userId: before[n]!.userId, action: n === QUARANTINED ? 'quarantine' : 'delete' }]),
        ),
      );
      expect(Object.values(recorded.outputs)).toContainEqual(
        Object.fromEntries(ACTED_ON.map((n) => [n, n === QUARANTINED ? 'quarantine' : 'delete'])),
      );
      await expectEnforced(before);
      expect(backupFiles(project.backupDir)).toHaveLength(4);

      expectStatus(await project.cdktf('plan'), 0, 'second cdktf plan');
      const again = await project.terraform('plan', '-detailed-exitcode');
      expect({ status: again.status, summary: planSummary(again.stdout) }).toEqual({ status: 0, summary: 'No changes.' });
    },
    TEST_TIMEOUT,
  );

  it(
    'GIVEN a saved terraform plan WHEN a planned user is recreated (same name, new UserId) before apply THEN enforce refuses it, apply fails and the new user survives',
    async () => {
      const project = new CdktfProject(ep, { kms: 'hold' });
      const victim = 'temp-deploy-user';
      const plannedId = await view.userId(victim);
      expectStatus(await project.cdktf('synth'), 0, 'cdktf synth');
      expectStatus(await project.terraform('init'), 0, 'terraform init');
      expectStatus(await project.terraform('plan', '-out=tfplan'), 0, 'terraform plan -out');

      // WHEN the user is deleted and created again between plan and apply.
      const keys = await view.iam.send(new ListAccessKeysCommand({ UserName: victim }));
      for (const k of keys.AccessKeyMetadata ?? []) {
        await view.iam.send(new DeleteAccessKeyCommand({ UserName: victim, AccessKeyId: k.AccessKeyId! }));
      }
      await view.iam.send(new DeleteUserCommand({ UserName: victim }));
      const recreated = await view.iam.send(new CreateUserCommand({ UserName: victim }));
      const newId = recreated.User!.UserId!;
      expect(newId).not.toBe(plannedId);

      const apply = await project.terraform('apply', 'tfplan');

      expect(apply.status).toBe(1);
      expect(apply.flat).toContain('Error: local-exec provisioner error');
      expect(apply.flat).toContain(`terraform_data.delete_user_${victim}`);
      expect(apply.flat).toContain('recreated');
      expect(apply.flat).toContain(newId);
      expect(await view.userId(victim)).toBe(newId);
      // The other actions of the run are independent and still carried out.
      expect(await view.userId('old-admin')).toBeNull();
      expect(await view.inlinePolicyNames(QUARANTINED)).toContain(QUARANTINE_POLICY);
    },
    TEST_TIMEOUT,
  );
});
