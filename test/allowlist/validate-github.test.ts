/** `validate --format github`: every line printed is a workflow command, with the file name escaped in each. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { githubCommand } from '../../src/allowlist/format';
import { validateCommand } from '../../src/commands/validate';

const VALID = 'version: 1\nusers:\n  - name: alice\n    owner: a@example.com\n    reason: lead\n';
const INVALID = 'version: 1\nusers:\n  - name: alice\n    ownr: a@example.com\n    reason: lead\n';
const COMMAND_LINE = /^::(error|warning|notice)( [a-z]+=[^,:\r\n]*(,[a-z]+=[^,:\r\n]*)*)?::[^\r\n]*$/;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-github-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function validateGithub(file: string): Promise<{ status: number; lines: string[] }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const status = await validateCommand({ file, format: 'github', now: '2026-03-01T12:00:00Z' });
    return {
      status,
      lines: chunks
        .join('')
        .split('\n')
        .filter((line) => line !== ''),
    };
  } finally {
    spy.mockRestore();
  }
}

/** A file name that tries to end the command early and start one of its own. */
const HOSTILE = 'a%b,c:d\n::warning::injected\r.yaml';

describe('validate --format github', () => {
  test('GIVEN a valid file whose name carries a newline and a command WHEN validated THEN one notice, the name escaped, nothing injected', async () => {
    const file = path.join(dir, HOSTILE);
    fs.writeFileSync(file, VALID);
    const { status, lines } = await validateGithub(file);
    expect(status).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(COMMAND_LINE);
    expect(lines[0]).toMatch(/^::notice title=allowlist validate::/);
    expect(lines[0]).toContain('a%25b,c:d%0A::warning::injected%0D.yaml: valid (1 user,');
    expect(lines.some((line) => line.startsWith('::warning::injected'))).toBe(false);
  });

  test('GIVEN an invalid file with that name WHEN validated THEN the annotation escapes file= and the summary escapes its data', async () => {
    const file = path.join(dir, `bad-${HOSTILE}`);
    fs.writeFileSync(file, INVALID);
    const { status, lines } = await validateGithub(file);
    expect(status).toBe(1);
    for (const line of lines) expect(line).toMatch(COMMAND_LINE);
    expect(lines[0]).toContain(
      `file=${dir.replace(/:/g, '%3A').replace(/,/g, '%2C')}/bad-a%25b%2Cc%3Ad%0A%3A%3Awarning%3A%3Ainjected%0D.yaml,line=3,col=5`,
    );
    expect(lines.at(-1)).toMatch(/^::notice title=allowlist validate::.*: invalid \(2 errors\)$/);
  });

  test('GIVEN a file that cannot be read WHEN validated THEN exit 1 with an error annotation (escaped name), not a raw message', async () => {
    const missing = path.join(dir, 'gone,1:2.yaml');
    const { status, lines } = await validateGithub(missing);
    expect(status).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(COMMAND_LINE);
    expect(lines[0]).toContain('gone%2C1%3A2.yaml,title=allowlist unreadable::cannot read allowlist');
    expect(lines[0]).toContain('ENOENT%0Afix: ');
  });
});

describe('githubCommand', () => {
  test('GIVEN properties and data with every special character WHEN built THEN properties escape % CR LF : , and data % CR LF', () => {
    expect(githubCommand('warning', { file: '%\r\n:,', line: 3 }, '%\r\n:,')).toBe('::warning file=%25%0D%0A%3A%2C,line=3::%25%0D%0A:,');
  });

  test('GIVEN no properties WHEN built THEN no space before the data separator', () => {
    expect(githubCommand('notice', {}, 'done')).toBe('::notice::done');
  });
});
