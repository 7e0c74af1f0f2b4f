import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

interface ActionYml {
  inputs: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; steps: Array<{ id?: string; env?: Record<string, string>; run?: string }> };
}

const action = parse(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionYml;
const runStep = action.runs.steps.find((step) => step.id === 'run')!;

describe('action.yml', () => {
  it('GIVEN the composite action WHEN read THEN it has the inputs command, allowlist, assume-role and comment', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['command', 'allowlist', 'assume-role', 'comment']));
    expect(action.inputs.command!.required).toBe(true);
  });

  it('GIVEN the INPUT_* variables src/action/inputs.ts reads WHEN compared with the run step THEN each is passed from its input', () => {
    const source = fs.readFileSync(path.join(REPO_ROOT, 'src', 'action', 'inputs.ts'), 'utf8');
    const read = [...new Set([...source.matchAll(/INPUT_[A-Z_]+/g)].map((m) => m[0]))].sort();
    const passed = Object.keys(runStep.env!)
      .filter((name) => name.startsWith('INPUT_'))
      .sort();
    expect(passed).toEqual(read);
    for (const name of passed) {
      const input = name.slice('INPUT_'.length).toLowerCase().replace(/_/g, '-');
      expect({ name, value: runStep.env![name] }).toEqual({ name, value: `\${{ inputs.${input} }}` });
      expect(Object.keys(action.inputs)).toContain(input);
    }
  });

  it('GIVEN the run step WHEN read THEN it runs the bin the package declares', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(manifest.bin['iam-allowlist-action']).toBe('bin/iam-allowlist-action.js');
    expect(runStep.run).toBe('node_modules/.bin/iam-allowlist-action');
  });

  it('GIVEN the consumer workflow WHEN it uses the action THEN only inputs the action declares, and command is always set', () => {
    const workflowFile = path.join(REPO_ROOT, 'examples', 'consumer', '.github', 'workflows', 'iam-allowlist.yml');
    const workflow = parse(fs.readFileSync(workflowFile, 'utf8')) as {
      jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, unknown> }> }>;
    };
    const uses = Object.values(workflow.jobs)
      .flatMap((job) => job.steps)
      .filter((step) => step.uses?.includes('/iam-allowlist@'));
    expect(uses.map((step) => step.with!.command).sort()).toEqual(['deploy', 'plan', 'validate']);
    for (const step of uses) for (const key of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(key);
  });
});
