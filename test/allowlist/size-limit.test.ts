/** The allowlist size limit: a file over MAX_ALLOWLIST_BYTES is refused from its size, before it is parsed. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AllowlistError, loadAllowlistFile, MAX_ALLOWLIST_BYTES, parseAllowlist } from '../../src/allowlist/load';
import { NOW } from './helpers';

const HEADER = 'version: 1\nusers: []\nguards:\n  allowEmpty: true\n';

/** Valid YAML of exactly `bytes` bytes: the header, then comment lines. */
function allowlistOfSize(bytes: number): string {
  const padding = bytes - HEADER.length;
  const line = `#${'x'.repeat(98)}\n`;
  const full = line.repeat(Math.floor(padding / line.length));
  const rest = padding - full.length;
  return HEADER + full + (rest > 0 ? `#${'x'.repeat(rest - 1)}` : '');
}

function caught(run: () => unknown): AllowlistError {
  try {
    run();
  } catch (err) {
    if (err instanceof AllowlistError) return err;
    throw err;
  }
  throw new Error('expected an AllowlistError');
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'allowlist-size-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('allowlist size limit (5 MiB)', () => {
  test('GIVEN the documented limit WHEN read THEN it is 5 MiB', () => {
    expect(MAX_ALLOWLIST_BYTES).toBe(5 * 1024 * 1024);
  });

  test('GIVEN a file one byte over the limit, full of YAML errors WHEN loaded THEN only file-too-large: nothing was parsed', () => {
    const file = path.join(dir, 'huge.yaml');
    fs.writeFileSync(
      file,
      `version: [unclosed\n${'\t: : bad\n'.repeat(Math.ceil(MAX_ALLOWLIST_BYTES / 9))}`.slice(0, MAX_ALLOWLIST_BYTES + 1),
    );
    const error = caught(() => loadAllowlistFile(file, { now: NOW }));
    expect(error.diagnostics).toHaveLength(1);
    expect(error.diagnostics[0]).toMatchObject({ file, line: 1, column: 1, severity: 'error', code: 'file-too-large' });
    expect(error.diagnostics[0]?.message).toBe(
      `the allowlist is ${MAX_ALLOWLIST_BYTES + 1} bytes (5.0 MiB), more than the limit of ${MAX_ALLOWLIST_BYTES} bytes (5.0 MiB); it was not parsed`,
    );
    expect(error.diagnostics[0]?.fix).toMatch(/--allowlist/);
    expect(error.message).toContain(`${file}:1:1: error:`);
  });

  test('GIVEN text over the limit WHEN parsed directly THEN refused the same way', () => {
    const error = caught(() => parseAllowlist(allowlistOfSize(MAX_ALLOWLIST_BYTES + 10), 'big.yaml', { now: NOW }));
    expect(error.diagnostics.map((d) => d.code)).toEqual(['file-too-large']);
  });

  test('GIVEN a valid file of exactly the limit WHEN loaded THEN accepted', () => {
    const file = path.join(dir, 'limit.yaml');
    fs.writeFileSync(file, allowlistOfSize(MAX_ALLOWLIST_BYTES));
    expect(fs.statSync(file).size).toBe(MAX_ALLOWLIST_BYTES);
    expect(loadAllowlistFile(file, { now: NOW }).allowlist.users).toEqual([]);
  }, 30_000);
});
