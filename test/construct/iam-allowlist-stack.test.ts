import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, S3Backend } from 'cdktf';
import { runningBuildId } from '../../src/commands/build-pin';
import { IamAllowlistStack, type IamAllowlistOptions } from '../../src/construct/iam-allowlist-stack';
import { UsageError } from '../../src/errors';
import { saveSnapshot } from '../../src/inventory/snapshot-file';
import { NOW } from '../plan/fixtures';
import { sandboxSnapshot } from '../plan/scenario';
import { removeTempDirs, tempDir, type StackJson } from './synth';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

afterAll(removeTempDirs);

/** A consumer project: allowlist.yaml (the sample, guards.kms: hold) and an offline snapshot of the sandbox account. */
function aProject(allowlistName = 'allowlist.yaml'): string {
  const dir = tempDir('consumer');
  const sample = fs.readFileSync(path.join(REPO_ROOT, 'allowlist.yaml'), 'utf8').replace(/^(\s+kms:\s*)block\b/m, '$1hold');
  fs.writeFileSync(path.join(dir, allowlistName), sample);
  saveSnapshot(path.join(dir, 'snapshot.json'), sandboxSnapshot());
  return dir;
}

type Synthesized = { text: string; json: StackJson };

async function synthIn(project: string, options: IamAllowlistOptions = {}, id = 'iam-allowlist'): Promise<Synthesized> {
  const app = new App({ outdir: path.join(project, 'cdktf.out'), skipValidation: true });
  await IamAllowlistStack.fromAccount(app, id, { projectDirectory: project, snapshotFile: 'snapshot.json', now: NOW, ...options });
  app.synth();
  const text = fs.readFileSync(path.join(project, 'cdktf.out', 'stacks', id, 'cdk.tf.json'), 'utf8');
  return { text, json: JSON.parse(text) as StackJson };
}

function provisioners(json: StackJson): Array<{ interpreter: string[]; command: string; working_dir: string }> {
  return Object.values(json.resource?.terraform_data ?? {})
    .flatMap((r: any) => r.provisioner ?? [])
    .map((p: { 'local-exec': { interpreter: string[]; command: string; working_dir: string } }) => p['local-exec']);
}

/** Every string value in a JSON document, also inside interpreter argv lists. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

describe('IamAllowlistStack.fromAccount', () => {
  it('GIVEN a project WHEN synthesized THEN cdk.tf.json holds no absolute path: CLI, allowlist, working_dir and state are relative', async () => {
    const project = aProject();
    const { text, json } = await synthIn(project);

    expect(text).not.toContain(project);
    expect(stringsIn(json).filter((value) => path.isAbsolute(value))).toEqual([]);
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.iam-allowlist.tfstate' } });
    const execs = provisioners(json);
    expect(execs.length).toBeGreaterThan(0);
    for (const exec of execs) {
      expect(exec.working_dir).toBe('../../..');
      expect(exec.interpreter[0]).toBe('node');
      // From the project directory, the path reaches this checkout's launcher.
      expect(path.resolve(project, exec.interpreter[1]!)).toBe(path.join(REPO_ROOT, 'bin', 'iam-allowlist.js'));
      expect(exec.interpreter.at(-1)).toBe('--allowlist');
      expect(exec.command).toBe('allowlist.yaml');
      expect(exec.interpreter[exec.interpreter.indexOf('--expect-build') + 1]).toBe(runningBuildId());
    }
  });

  it('GIVEN the package installed in the project node_modules WHEN synthesized THEN local-exec runs that copy of the CLI', async () => {
    const project = aProject();
    const installed = path.join(project, 'node_modules', 'iam-allowlist', 'bin');
    fs.mkdirSync(installed, { recursive: true });
    fs.writeFileSync(path.join(installed, 'iam-allowlist.js'), '');
    const { json } = await synthIn(project);
    const launchers = new Set(provisioners(json).map((exec) => exec.interpreter[1]));
    expect(launchers).toEqual(new Set(['node_modules/iam-allowlist/bin/iam-allowlist.js']));
  });

  it('GIVEN an allowlist in a subdirectory WHEN synthesized THEN enforce reads it by its path relative to the project', async () => {
    const project = aProject('allowlist.yaml');
    fs.mkdirSync(path.join(project, 'accounts'));
    fs.renameSync(path.join(project, 'allowlist.yaml'), path.join(project, 'accounts', 'prod.yaml'));
    const { json } = await synthIn(project, { allowlistFile: 'accounts/prod.yaml' });
    expect(new Set(provisioners(json).map((exec) => exec.command))).toEqual(new Set(['accounts/prod.yaml']));
  });

  it('GIVEN the app configures its own backend after the stack is added WHEN synthesized THEN that backend is used, not a local one', async () => {
    const project = aProject();
    const app = new App({ outdir: path.join(project, 'cdktf.out'), skipValidation: true });
    const options = { projectDirectory: project, snapshotFile: 'snapshot.json', now: NOW };
    const stack = await IamAllowlistStack.fromAccount(app, 'iam-allowlist', options);
    new S3Backend(stack, { bucket: 'tf-state', key: 'iam-allowlist.tfstate', region: 'us-east-1' });
    app.synth();
    const json = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out', 'stacks', 'iam-allowlist', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(json.terraform.backend)).toEqual(['s3']);
  });

  it('GIVEN two roles for two stacks of one app WHEN synthesized THEN each stack enforces through its own role', async () => {
    const project = aProject();
    const app = new App({ outdir: path.join(project, 'cdktf.out'), skipValidation: true });
    const common = { projectDirectory: project, snapshotFile: 'snapshot.json', now: NOW };
    await IamAllowlistStack.fromAccount(app, 'prod', { ...common, assumeRoleArn: 'arn:aws:iam::111122223333:role/enforce' });
    // The same account twice would enforce twice: refused.
    await expect(
      IamAllowlistStack.fromAccount(app, 'prod-again', { ...common, assumeRoleArn: 'arn:aws:iam::111122223333:role/other' }),
    ).rejects.toThrow(UsageError);
    app.synth();
    const prod = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'), 'utf8'));
    for (const exec of provisioners(prod)) {
      expect(exec.interpreter[exec.interpreter.indexOf('--assume-role') + 1]).toBe('arn:aws:iam::111122223333:role/enforce');
    }
    expect(fs.existsSync(path.join(project, 'cdktf.out', 'stacks', 'prod-again'))).toBe(false);
  });

  it("GIVEN a project WHEN synthesized THEN each removal record has the allowlist file's SHA-256 (as sha256sum prints it)", async () => {
    const project = aProject();
    const file = path.join(project, 'allowlist.yaml');
    const records = (json: StackJson): Array<Record<string, unknown>> =>
      Object.values<{ input: Record<string, unknown> }>(json.resource.terraform_data).map((r) => r.input);

    const first = records((await synthIn(project)).json);
    expect(first.length).toBeGreaterThan(0);
    const sha256sum = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    expect(new Set(first.map((r) => r.allowlist_sha256))).toEqual(new Set([sha256sum]));

    // A comment changes no decision, but it is another file: another digest.
    fs.appendFileSync(file, '# reviewed\n');
    const second = records((await synthIn(project)).json);
    expect(second.map((r) => r.allowlist_sha256)).not.toContain(first[0]!.allowlist_sha256);
    expect(second.every((r) => /^[0-9a-f]{64}$/.test(String(r.allowlist_sha256)))).toBe(true);
  });

  it('GIVEN the same project and snapshot WHEN synthesized in two places THEN the configurations are byte-identical', async () => {
    const first = await synthIn(aProject());
    const second = await synthIn(aProject());
    expect(second.text).toBe(first.text);
  });
});
