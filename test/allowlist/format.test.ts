import type { Diagnostic } from '../../src/allowlist/load';
import { formatDiagnostics, formatGithubAnnotations } from '../../src/allowlist/load';

const unknownKey: Diagnostic = {
  file: 'allowlist.yaml',
  line: 12,
  column: 5,
  severity: 'error',
  code: 'unknown-key',
  message: 'unknown key `ownr` in users[0]',
  fix: 'did you mean `owner`?',
};
const expired: Diagnostic = {
  file: 'allowlist.yaml',
  line: 3,
  column: 14,
  severity: 'warning',
  code: 'expired',
  message: 'the exception for "etl" expired on 2026-01-31: the user now counts as undeclared',
  fix: 'extend `expires`',
};

describe('formatDiagnostics', () => {
  test('GIVEN two diagnostics WHEN formatted THEN compiler-style lines, sorted by position, with fixes', () => {
    expect(formatDiagnostics([unknownKey, expired])).toBe(
      [
        'allowlist.yaml:3:14: warning: the exception for "etl" expired on 2026-01-31: the user now counts as undeclared [expired]',
        '  fix: extend `expires`',
        'allowlist.yaml:12:5: error: unknown key `ownr` in users[0] [unknown-key]',
        '  fix: did you mean `owner`?',
      ].join('\n'),
    );
  });

  test('GIVEN the source text WHEN formatted THEN the offending line is shown with a caret under the column', () => {
    const source = 'version: 1\nusers:\n  - ownr: x\n';
    const text = formatDiagnostics([{ ...unknownKey, line: 3, column: 5 }], { sourceText: source });
    expect(text.split('\n')).toEqual([
      'allowlist.yaml:3:5: error: unknown key `ownr` in users[0] [unknown-key]',
      '    - ownr: x',
      '      ^',
      '  fix: did you mean `owner`?',
    ]);
  });

  test('GIVEN color: true WHEN formatted THEN errors are red; without it THEN no escape codes', () => {
    expect(formatDiagnostics([unknownKey], { color: true })).toContain('\u001b[31merror:');
    expect(formatDiagnostics([unknownKey])).not.toContain('\u001b');
  });
});

describe('formatGithubAnnotations', () => {
  test('GIVEN diagnostics WHEN rendered THEN one workflow command each, fix on a second (escaped) line', () => {
    expect(formatGithubAnnotations([unknownKey, expired]).split('\n')).toEqual([
      '::warning file=allowlist.yaml,line=3,col=14,title=allowlist expired::the exception for "etl" expired on 2026-01-31: the user now counts as undeclared%0Afix: extend `expires`',
      '::error file=allowlist.yaml,line=12,col=5,title=allowlist unknown-key::unknown key `ownr` in users[0]%0Afix: did you mean `owner`?',
    ]);
  });

  test('GIVEN a file name with comma and colon and a message with percent WHEN rendered THEN they are escaped', () => {
    const out = formatGithubAnnotations([{ ...unknownKey, file: 'a,b:c.yaml', message: '100% wrong\r\n' }]);
    expect(out).toContain('file=a%2Cb%3Ac.yaml');
    expect(out).toContain('::100%25 wrong%0D%0A%0Afix:');
  });
});
