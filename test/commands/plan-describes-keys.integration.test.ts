/**
 * Issue 15: the `plan` command (in-process, real SDK over HTTP to the local endpoint) describes exactly the
 * keys its findings name, after a scan that describes none, shows their state, and `--save-snapshot` saves
 * the described snapshot.
 */
import * as fs from 'fs';
import * as path from 'path';
import { planCommand } from '../../src/commands/plan';
import { startEndpoint, type LocalEndpoint } from '../../src/endpoint';
import { loadSnapshot } from '../../src/inventory/snapshot-file';
import { removeTempDirs, SAMPLE_ALLOWLIST, tempDir } from '../e2e/helpers';

let ep: LocalEndpoint;
const savedEnv = { ...process.env };

beforeAll(async () => {
  ep = await startEndpoint({ seed: 'sandbox' });
  Object.assign(process.env, ep.env());
});

afterAll(async () => {
  await ep?.stop();
  process.env = savedEnv;
  removeTempDirs();
});

afterEach(() => jest.restoreAllMocks());

/** stdout of one planCommand run (stderr's progress is dropped). */
async function planOutput(args: Parameters<typeof planCommand>[0]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const code = await planCommand(args);
  return { code, stdout };
}

describe('plan describes the keys its findings name', () => {
  it('GIVEN the sandbox WHEN planned as JSON with --save-snapshot THEN one DescribeKey per named key, states shown and saved', async () => {
    ep.reset('sandbox');
    ep.resetCounters();
    const saved = path.join(tempDir('plan-describe'), 'snapshot.json');

    const { code, stdout } = await planOutput({ allowlist: SAMPLE_ALLOWLIST, format: 'json', saveSnapshot: saved });

    expect(code).toBe(3);
    const plan = JSON.parse(stdout) as { users: { guards: { kind: string; resource: string | null; message: string }[] }[] };
    const kmsGuards = plan.users.flatMap((u) => u.guards).filter((g) => g.kind.startsWith('kms-'));
    const named = [...new Set(kmsGuards.map((g) => g.resource))].sort();
    // The sandbox's findings name 4 of its 5 customer keys (alias/backups names no user).
    expect(named).toHaveLength(4);
    expect(ep.counters()['kms:DescribeKey']).toBe(named.length);
    expect(kmsGuards.filter((g) => g.message.includes('state unknown'))).toEqual([]);
    const described = loadSnapshot(saved)
      .kms.flatMap((r) => r.keys)
      .filter((k) => k.keyState !== null)
      .map((k) => k.arn)
      .sort();
    expect(described).toEqual(named);
    expect(fs.existsSync(saved)).toBe(true);
  });

  it('GIVEN a saved snapshot WHEN planned offline THEN no AWS call at all, the saved states shown', async () => {
    ep.reset('sandbox');
    const saved = path.join(tempDir('plan-describe'), 'snapshot.json');
    await planOutput({ allowlist: SAMPLE_ALLOWLIST, format: 'json', saveSnapshot: saved });
    jest.restoreAllMocks();
    ep.resetCounters();

    const { stdout } = await planOutput({ allowlist: SAMPLE_ALLOWLIST, format: 'json', snapshot: saved });

    expect(ep.counters()).toEqual({});
    expect(stdout).toContain('kms-key-policy');
    expect(stdout).not.toContain('state unknown');
  });
});
