/** Messages that used to mislead (issue 14 item 5): each asserts the corrected text. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initSummary } from '../../src/allowlist/init';
import { loadAllowlistFile } from '../../src/allowlist/load';
import { validateCommand } from '../../src/commands/validate';
import { UsageError } from '../../src/errors';
import { toTagValue } from '../../src/model/quarantine-marker';
import { errorsOf, NOW, yamlLines } from './helpers';

const user = ['  - name: alice', '    owner: o', '    reason: r'];

describe('the missing-allowlist hint', () => {
  it('GIVEN no allowlist file WHEN loaded THEN the fix suggests `init -o <file>`, not a shell redirect that init then refuses', () => {
    const missing = path.join(os.tmpdir(), `iam-allowlist-missing-${process.pid}.yaml`);
    let thrown: unknown;
    try {
      loadAllowlistFile(missing);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).hint).toContain(`\`iam-allowlist init -o ${missing}\``);
    expect((thrown as UsageError).hint).not.toContain('>');
  });
});

describe('fixes for YAML syntax errors', () => {
  const fixOf = (text: string): string[] => errorsOf(text).map((d) => d.fix ?? '');

  it('GIVEN a key of a list item indented less than its siblings WHEN loaded THEN the fix is about indentation, not a closing char', () => {
    const fixes = fixOf(yamlLines('version: 1', 'users:', '  - name: alice', '   owner: o', '    reason: r'));
    expect(fixes.join('\n')).toMatch(/indent/i);
    expect(fixes.join('\n')).not.toMatch(/closing character/);
  });

  it('GIVEN a key indented deeper than its sibling WHEN loaded THEN the fix says the next line is indented deeper', () => {
    const fixes = fixOf(yamlLines('version: 1', 'users:', '  - name: alice', '    owner: o', '     reason: r'));
    expect(fixes.length).toBeGreaterThan(0);
    for (const fix of fixes) expect(fix).toContain('the next line is indented deeper than this key');
  });

  it('GIVEN a key out of line with its mapping WHEN loaded THEN the fix asks to indent it like the other keys', () => {
    expect(fixOf(yamlLines('version: 1', 'users:', '  - name: alice', '  owner: o'))).toEqual([
      'indent this key like the other keys of its mapping: keys of one mapping start in the same column',
    ]);
  });

  it('GIVEN an unclosed quote or bracket WHEN loaded THEN the fix names the quote or the `]`', () => {
    expect(fixOf(yamlLines('version: 1', 'users:', '  - name: "alice', ...user.slice(1))).join('\n')).toContain('missing closing quote');
    expect(fixOf(yamlLines('version: 1', 'users: [')).join('\n')).toContain('missing closing `]`');
  });
});

describe('counts in messages', () => {
  it('GIVEN one user, one exception and one warning WHEN validated THEN "1 user, 1 exception, 1 warning" (no "1 exceptions")', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-allowlist-messages-'));
    const file = path.join(dir, 'allowlist.yaml');
    const expired = ['exceptions:', '  - name: bob', '    owner: o', '    reason: r', '    expires: 2020-01-01'];
    fs.writeFileSync(file, yamlLines('version: 1', 'users:', ...user, ...expired));
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(await validateCommand({ file, now: NOW.toISOString() })).toBe(0);
    } finally {
      spy.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(written.join('')).toContain(`${file}: valid (1 user, 1 exception, 1 warning)`);
  });
});

describe('the quarantine reason kept in a tag', () => {
  it('GIVEN the inactive rule message WHEN stored as a tag value THEN its limit stays set apart ("ago - limit 90")', () => {
    expect(toTagValue('inactive: last used 200 days ago (limit 90)')).toBe('inactive: last used 200 days ago - limit 90');
    expect(toTagValue('undeclared, unused')).toBe('undeclared - unused');
  });
});

describe('what init says when it is done', () => {
  it('GIVEN no placeholder owners WHEN summarised THEN no "TODO" reminder', () => {
    expect(initSummary('allowlist.yaml', '111122223333', 3, 0)).toBe('Wrote allowlist.yaml: 3 users of account 111122223333 declared.');
  });

  it('GIVEN one or two placeholder owners WHEN summarised THEN the count of owners to fill in', () => {
    expect(initSummary('a.yaml', '111122223333', 1, 1)).toBe(
      'Wrote a.yaml: 1 user of account 111122223333 declared. ' +
        '1 owner is TODO: name who answers for that user (`iam-allowlist validate a.yaml` lists them).',
    );
    expect(initSummary('a.yaml', '111122223333', 5, 2)).toContain('2 owners are TODO: name who answers for those users');
  });
});
