import fc from 'fast-check';
import { stringify } from 'yaml';
import { AllowlistError, type Diagnostic, parseAllowlist } from '../../src/allowlist/load';

/**
 * Property: whatever text it is given, the loader either accepts it or throws an AllowlistError whose
 * diagnostics all point inside the text and say what is wrong and how to fix it. Never a crash,
 * never an unpositioned message.
 */

const FILE = 'fuzz.yaml';
const NOW = new Date('2026-03-01T00:00:00Z');

const KEYS = [
  'version',
  'account',
  'defaults',
  'guards',
  'users',
  'exceptions',
  'action',
  'inactiveAfterDays',
  'onInactive',
  'maxRemovalsPerRun',
  'unusedGraceDays',
  'kms',
  'regions',
  'recentlyActiveDays',
  'recentlyActive',
  'allowEmpty',
  'name',
  'path',
  'owner',
  'reason',
  'expires',
  'protect',
  'ownr',
  'Owner',
  '<<',
  '',
  '- name',
  '? x',
  'a b',
];

const scalarValue = fc.oneof(
  fc.constantFrom(
    'delete',
    'quarantine',
    'report',
    'hold',
    'block',
    'all',
    'true',
    'null',
    '~',
    '2026-02-30',
    '2026-01-31',
    '/',
    '/x/',
    'x',
  ),
  fc.integer({ min: -5, max: 2_000_000_000_000 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);

const userName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('alice', 'Alice', 'bob', 'deploy-bot', 'a+b=c,d.e@f_g', 'x', 'legacy-etl', '1234') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_+=,.@-]{1,20}$/) },
);
const iamPath = fc.constantFrom('/', '/engineering/', '/service/', '/a/b/');
const isoDate = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const userEntry = fc.record(
  {
    name: userName,
    path: iamPath,
    owner: fc.constantFrom('a@example.com', 'platform', 'TODO'),
    reason: fc.constantFrom('lead', 'ticket X-1'),
    expires: isoDate,
    action: fc.constantFrom('delete', 'quarantine', 'report'),
    inactiveAfterDays: fc.integer({ min: 1, max: 400 }),
    protect: fc.boolean(),
  },
  { requiredKeys: ['name', 'owner', 'reason'] },
);

const exceptionEntry = fc.record(
  { name: userName, path: iamPath, owner: fc.constant('o@example.com'), reason: fc.constant('r'), expires: isoDate },
  { requiredKeys: ['name', 'owner', 'reason', 'expires'] },
);

const allowlistObject = fc.record(
  {
    version: fc.constant(1),
    account: fc.constantFrom('111122223333', '012345678901'),
    defaults: fc.record(
      {
        action: fc.constantFrom('delete', 'quarantine', 'report'),
        inactiveAfterDays: fc.option(fc.integer({ min: 1, max: 400 })),
        onInactive: fc.constantFrom('report', 'quarantine'),
        maxRemovalsPerRun: fc.integer({ min: 0, max: 50 }),
        unusedGraceDays: fc.integer({ min: 1, max: 30 }),
      },
      { requiredKeys: [] },
    ),
    guards: fc.record(
      {
        kms: fc.constantFrom('block', 'hold'),
        regions: fc.oneof(
          fc.constant('all'),
          fc.uniqueArray(fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2'), { minLength: 1 }),
        ),
        recentlyActiveDays: fc.integer({ min: 1, max: 30 }),
        recentlyActive: fc.constantFrom('hold', 'quarantine'),
        allowEmpty: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
    users: fc.array(userEntry, { maxLength: 4 }),
    exceptions: fc.array(exceptionEntry, { maxLength: 2 }),
  },
  { requiredKeys: ['version', 'users'] },
);

type Mutation = (text: string) => string;

const atLine =
  (index: number, edit: (lines: string[], i: number) => void): Mutation =>
  (text) => {
    const lines = text.split('\n');
    edit(lines, index % Math.max(1, lines.length));
    return lines.join('\n');
  };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((n) => atLine(n, (lines, i) => void lines.splice(i, 1))),
  fc.nat().map((n) => atLine(n, (lines, i) => void lines.splice(i, 0, lines[i] ?? ''))),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) =>
    atLine(a, (lines, i) => {
      const j = b % lines.length;
      [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
    }),
  ),
  fc
    .tuple(fc.nat(), fc.constantFrom(...KEYS), scalarValue, fc.nat({ max: 6 }))
    .map(([n, key, value, indent]) =>
      atLine(n, (lines, i) => void lines.splice(i, 0, `${' '.repeat(indent)}${key}: ${JSON.stringify(value) ?? 'null'}`)),
    ),
  fc.tuple(fc.nat(), scalarValue).map(([n, value]) =>
    atLine(n, (lines, i) => {
      const line = lines[i] ?? '';
      const colon = line.indexOf(': ');
      if (colon >= 0) lines[i] = `${line.slice(0, colon + 2)}${typeof value === 'string' ? value : JSON.stringify(value)}`;
    }),
  ),
  fc.nat().map((n) => (text: string) => text.slice(0, n % (text.length + 1))),
  fc.nat().map((n) => (text: string) => {
    const at = n % (text.length + 1);
    return `${text.slice(0, at)}\t${text.slice(at)}`;
  }),
  fc.tuple(fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 6 })).map(([n, junk]) => (text: string) => {
    const at = n % (text.length + 1);
    return `${text.slice(0, at)}${junk}${text.slice(at)}`;
  }),
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom(
        ':',
        '- ',
        '#',
        '&a ',
        '*a',
        '!t ',
        '|',
        '>',
        '"',
        "'",
        '[',
        ']',
        '{',
        '}',
        '---\n',
        '? ',
        '\r',
        '\r\n',
        '\uFEFF',
        '%YAML 1.1\n',
      ),
    )
    .map(([n, token]) => (text: string) => {
      const at = n % (text.length + 1);
      return `${text.slice(0, at)}${token}${text.slice(at)}`;
    }),
);

// Serialising a fresh object for every run costs as much as loading it; 400 well-formed bases,
// each mutated differently on every run, keep the variety at a fraction of the time.
const baseTexts = fc.sample(allowlistObject, { numRuns: 400, seed: 7 }).map((object) => stringify(object));

const generatedText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.constantFrom(...baseTexts), fc.array(mutation, { maxLength: 4 }))
      .map(([base, mutations]) => mutations.reduce((text, m) => m(text), base)),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => stringify(value)) },
);

/**
 * Runs per fuzz run: FUZZ_RUNS, default 1,000 so `npm run test:unit` stays fast; CI (.ci/run) sets the full 10,000.
 * The seed is fixed, so a given count always replays the same cases.
 */
function fuzzRuns(): number {
  const raw = process.env.FUZZ_RUNS;
  if (raw === undefined || raw === '') return 1_000;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 100) {
    throw new Error(`FUZZ_RUNS=${raw}: expected a whole number of runs, at least 100 (CI uses 10000)`);
  }
  return runs;
}

const FUZZ_RUNS = fuzzRuns();

function assertWellFormed(diagnostic: Diagnostic, text: string): void {
  const lines = text.split('\n');
  const problems: string[] = [];
  if (diagnostic.file !== FILE) problems.push('file');
  if (!Number.isInteger(diagnostic.line) || diagnostic.line < 1 || diagnostic.line > lines.length) problems.push('line');
  const lineText = lines[diagnostic.line - 1] ?? '';
  if (!Number.isInteger(diagnostic.column) || diagnostic.column < 1 || diagnostic.column > lineText.length + 1) problems.push('column');
  if (diagnostic.message.trim() === '') problems.push('message');
  if (diagnostic.fix.trim() === '') problems.push('fix');
  if (diagnostic.severity !== 'error' && diagnostic.severity !== 'warning') problems.push('severity');
  if (problems.length > 0) throw new Error(`malformed diagnostic (${problems.join(', ')}): ${JSON.stringify(diagnostic)}`);
}

describe('parseAllowlist under fuzzing', () => {
  const title = `GIVEN ${FUZZ_RUNS} generated and mutated allowlists (FUZZ_RUNS) WHEN each is loaded`;
  test(`${title} THEN it is accepted or rejected with well-formed, positioned diagnostics`, () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(generatedText, (text) => {
        try {
          const { warnings } = parseAllowlist(text, FILE, { now: NOW });
          for (const warning of warnings) {
            if (warning.severity !== 'warning') throw new Error('an accepted file returned an error');
            assertWellFormed(warning, text);
          }
          accepted++;
        } catch (err) {
          if (!(err instanceof AllowlistError)) throw err;
          if (!err.diagnostics.some((d) => d.severity === 'error')) throw new Error('rejected without an error diagnostic');
          for (const diagnostic of err.diagnostics) assertWellFormed(diagnostic, text);
          rejected++;
        }
      }),
      { numRuns: FUZZ_RUNS, seed: 20_260_301 },
    );
    // Both outcomes must actually be exercised (each over 5% of the runs: 500 of 10,000), or the generator is broken.
    expect(accepted).toBeGreaterThan(FUZZ_RUNS / 20);
    expect(rejected).toBeGreaterThan(FUZZ_RUNS / 20);
  });
});
