/** The Markdown renderer makes text from the allowlist or the account inert: no mention, link, image, HTML or table break. */
import type { Plan } from '../../src/model/plan';
import { plan } from '../../src/plan/plan';
import { escapeCell, escapeText, renderMarkdown } from '../../src/plan/render/markdown';
import { toDelete, userPlan } from '../construct/builders';
import { anAllowlist, aSnapshot, aUser, NOW } from './fixtures';

/** Everything a hostile owner, reason, tag value or user name could carry into a pull-request comment. */
const HOSTILE =
  'cc @octocat and @org/team; see [docs](https://evil.example/x) ![pixel](https://evil.example/p.png) ' +
  '<https://evil.example/a> https://evil.example/b www.evil.example <img src=x onerror=alert(1)> a`b | c *bold* ~~gone~~ &#64;ghost';

/** Markdown left after removing code spans: what GitHub renders as prose. */
function prose(markdown: string): string {
  return markdown.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, ' ');
}

/** Checks a rendered fragment holds nothing GitHub would turn into a mention, link, image or HTML. */
function expectInert(markdown: string): void {
  const outside = prose(markdown.replace(/\\[\\`*_[\]~|]/g, ''));
  expect(outside).not.toMatch(/@\w/);
  expect(outside).not.toMatch(/\]\(|!\[|\[/);
  expect(outside).not.toMatch(/https?:\/\/|www\./);
  expect(outside).not.toMatch(/[<>]/);
  expect(outside).not.toMatch(/`/);
  expect(outside).not.toMatch(/\*\*bold|~~gone/);
  expect(outside).not.toMatch(/&#64;/);
}

describe('escapeCell and escapeText', () => {
  it('GIVEN hostile text WHEN escaped for a table cell THEN inert, one line, and no unescaped pipe', () => {
    const cell = escapeCell(`${HOSTILE}\nsecond line`);
    expectInert(cell);
    expect(cell).not.toContain('\n');
    expect(cell.replace(/\\\|/g, '')).not.toContain('|');
  });

  it('GIVEN hostile text WHEN escaped for a list item THEN inert too', () => {
    expectInert(escapeText(HOSTILE));
  });

  it('GIVEN a mention, an e-mail and a URL WHEN escaped THEN each is a code span of exactly that text, surrounding punctuation left out', () => {
    expect(escapeText('ask @octocat (owner alice@example.com), see https://example.com/x.')).toBe(
      'ask `@octocat` (owner `alice@example.com`), see `https://example.com/x`.',
    );
  });

  it('GIVEN a URL holding backticks and a pipe WHEN escaped for a table THEN a longer fence and an escaped pipe', () => {
    expect(escapeCell('https://x.example/`a`|b')).toBe('``https://x.example/`a`\\|b``');
  });

  it('GIVEN link, image and emphasis syntax WHEN escaped THEN its punctuation is backslash-escaped', () => {
    expect(escapeText('[a](b) ![c](d) *e* _f_ ~g~ `h`')).toBe('\\[a\\](b) !\\[c\\](d) \\*e\\* \\_f\\_ \\~g\\~ \\`h\\`');
  });

  it('GIVEN HTML and an entity WHEN escaped THEN entities that render as the literal text', () => {
    expect(escapeText('<b>&#64;x</b>')).toBe('&lt;b&gt;&amp;#64;x&lt;/b&gt;');
  });
});

describe('renderMarkdown with hostile allowlist and account text', () => {
  const base = plan(aSnapshot({ users: [aUser({ name: 'x' })] }), anAllowlist(), NOW);
  const hostile: Plan = {
    ...base,
    users: [
      toDelete('deleted@evil', [`owner ${HOSTILE}`]),
      userPlan('held-user', {
        decision: 'hold',
        intended: 'delete',
        reasons: [`reason ${HOSTILE}`],
        guards: [
          {
            kind: 'kms-key-policy',
            severity: 'high',
            resource: 'arn:aws:kms:us-east-1:1:key/k',
            region: 'us-east-1',
            message: `tag ${HOSTILE}`,
            blocksRun: false,
          },
        ],
      }),
      userPlan('reported', { decision: 'report', reasons: [`message ${HOSTILE}`] }),
    ],
    runGuards: [{ kind: 'scan-incomplete', severity: 'high', resource: null, region: null, message: `scan ${HOSTILE}`, blocksRun: true }],
    notices: [`notice ${HOSTILE}`],
    summary: { users: 3, keep: 0, delete: 1, quarantine: 0, hold: 1, report: 1 },
  };
  const md = renderMarkdown(hostile);

  it('GIVEN reasons, guard messages, notices and run guards full of Markdown WHEN rendered THEN nothing is a mention, link, image or HTML', () => {
    // The renderer's own alert marker and <details> are the only Markdown syntax it may emit.
    expectInert(
      md
        .replace('> [!CAUTION]', '')
        .replace(/^> /gm, '')
        .replace(/<\/?details>|<\/?summary>/g, ''),
    );
  });

  it('GIVEN the same WHEN rendered THEN every table row keeps its column count', () => {
    for (const row of md.split('\n').filter((line) => line.startsWith('| `'))) {
      const cells = row.replace(/\\\|/g, '').split('|').length - 2;
      expect([row, cells]).toEqual([row, row.includes('| delete |') ? 3 : 2]);
    }
  });

  it('GIVEN a user name with an @ WHEN rendered THEN it stays inside a code span', () => {
    expect(md).toContain('| `deleted@evil` | delete |');
  });
});
