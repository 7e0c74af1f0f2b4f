import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize, synthesizeAccounts, type SynthesisResult, type SynthesizeOptions } from '../../src/construct/app';
import type { AccountStackProps } from '../../src/construct/accounts';

export const TEST_CLI = ['node', '/opt/iam-allowlist/bin/iam-allowlist.js'];

const createdDirs: string[] = [];

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `iam-allowlist-${prefix}-`));
  createdDirs.push(dir);
  return dir;
}

/** Removes every directory tempDir created in this test file. */
export function removeTempDirs(): void {
  for (const dir of createdDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export type StackJson = Record<string, any>;

export function readStack(result: SynthesisResult, index = 0): { text: string; json: StackJson } {
  const text = fs.readFileSync(result.stacks[index]!.file, 'utf8');
  return { text, json: JSON.parse(text) as StackJson };
}

/** Synthesizes one stack into a fresh temp dir and returns its Terraform JSON. */
export function synthOne(
  props: Omit<SynthesizeOptions, 'cliCommand' | 'allowlistFile' | 'outdir'> &
    Partial<Pick<SynthesizeOptions, 'cliCommand' | 'allowlistFile' | 'outdir'>>,
): { text: string; json: StackJson; result: SynthesisResult } {
  const result = synthesize({
    cliCommand: TEST_CLI,
    allowlistFile: '/repo/allowlist.yaml',
    outdir: tempDir('synth'),
    ...props,
  });
  return { ...readStack(result), result };
}

export function synthMany(accounts: AccountStackProps[]): { result: SynthesisResult; stacks: StackJson[] } {
  const result = synthesizeAccounts({ outdir: tempDir('accounts'), accounts });
  return { result, stacks: result.stacks.map((_, i) => readStack(result, i).json) };
}
