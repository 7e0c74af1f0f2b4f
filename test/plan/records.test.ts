/**
 * The rule and guard packs, as cdk-nag checks its rule packs: every record lives in the file named by its
 * id, and every record is registered exactly once, under its id.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RUN_GUARD_RECORDS, USER_GUARD_RECORDS } from '../../src/plan/guards';
import { FACTS_RULES, OUTCOME_RULES, RULE_RECORDS } from '../../src/plan/rules';

interface AnyRecord {
  readonly id: string;
  readonly category: string;
  readonly scope: string;
  readonly severity: unknown;
  readonly description: string;
  readonly evaluate: unknown;
}

function isRecord(value: unknown): value is AnyRecord {
  if (typeof value !== 'object' || value === null) return false;
  return typeof (value as AnyRecord).id === 'string' && typeof (value as AnyRecord).evaluate === 'function';
}

const NOT_RECORD_FILES = new Set(['index.ts', 'types.ts']);

/** Every record exported by a .ts file of the directory, with the file's base name. */
function recordsIn(dir: string): { file: string; record: AnyRecord }[] {
  const absolute = path.join(__dirname, '../../src/plan', dir);
  return fs
    .readdirSync(absolute)
    .filter((file) => file.endsWith('.ts') && !NOT_RECORD_FILES.has(file))
    .flatMap((file) => {
      const exported: Record<string, unknown> = require(path.join(absolute, file));
      return Object.values(exported)
        .filter(isRecord)
        .map((record) => ({ file: path.basename(file, '.ts'), record }));
    });
}

function expectRegisteredOnce(found: readonly { file: string; record: AnyRecord }[], registry: Readonly<Record<string, AnyRecord>>): void {
  const registered = Object.entries(registry);
  expect(found.length).toBeGreaterThan(0);
  for (const { file, record } of found) {
    expect({ file, id: record.id }).toEqual({ file, id: file });
    expect(registered.filter(([, value]) => value === record).map(([key]) => key)).toEqual([record.id]);
  }
  // Nothing registered that no file exports (a record filed under another key, or defined inline).
  expect(registered.map(([key]) => key).sort()).toEqual(found.map(({ record }) => record.id).sort());
}

describe('rule records', () => {
  const found = recordsIn('rules');

  it('GIVEN every file of src/plan/rules WHEN its records are read THEN each id is its file name, registered exactly once', () => {
    expectRegisteredOnce(found, RULE_RECORDS);
  });

  it('GIVEN a rule file WHEN read THEN it exports one record at most (one rule per file)', () => {
    const files = found.map(({ file }) => file);
    expect(files).toEqual([...new Set(files)]);
  });

  it('GIVEN the registry WHEN split by stage THEN every rule is in exactly one of FACTS_RULES and OUTCOME_RULES', () => {
    const staged = [...FACTS_RULES, ...OUTCOME_RULES];
    expect(staged).toHaveLength(Object.keys(RULE_RECORDS).length);
    expect(new Set(staged)).toEqual(new Set(Object.values(RULE_RECORDS)));
    expect(FACTS_RULES.every((rule) => rule.stage === 'facts')).toBe(true);
    expect(OUTCOME_RULES.every((rule) => rule.stage === 'outcome')).toBe(true);
  });

  it('GIVEN the facts rules WHEN ordered THEN the allowlist rules come first, so their proposal decides', () => {
    expect(FACTS_RULES.slice(0, 3).map((rule) => rule.id)).toEqual(['declaration-expired', 'exception-expired', 'undeclared']);
  });

  it('GIVEN every rule WHEN its metadata is read THEN it declares a user scope, a category, a description and a valid severity', () => {
    for (const rule of Object.values(RULE_RECORDS)) {
      expect(rule.scope).toBe('user');
      expect(['decision', 'hygiene']).toContain(rule.category);
      expect(rule.description.length).toBeGreaterThan(10);
      const levels = typeof rule.severity === 'string' ? [rule.severity] : rule.severity.among;
      expect(levels.length).toBeGreaterThan(0);
      for (const level of levels) expect(['action', 'warning', 'info']).toContain(level);
    }
  });
});

describe('guard records', () => {
  const found = recordsIn('guards');

  it('GIVEN every file of src/plan/guards WHEN its records are read THEN each id is its file name, registered exactly once', () => {
    expectRegisteredOnce(found, { ...USER_GUARD_RECORDS, ...RUN_GUARD_RECORDS });
  });

  it('GIVEN the two registries WHEN read THEN user guards have scope user and run guards scope run', () => {
    expect(Object.values(USER_GUARD_RECORDS).map((guard) => guard.scope)).toEqual(Object.keys(USER_GUARD_RECORDS).map(() => 'user'));
    expect(Object.values(RUN_GUARD_RECORDS).map((guard) => guard.scope)).toEqual(Object.keys(RUN_GUARD_RECORDS).map(() => 'run'));
  });

  it('GIVEN every guard WHEN its metadata is read THEN it declares a description, a valid severity and whether it blocks the run', () => {
    for (const guard of [...Object.values(USER_GUARD_RECORDS), ...Object.values(RUN_GUARD_RECORDS)]) {
      expect(guard.category).toBe('decision');
      expect(guard.description.length).toBeGreaterThan(10);
      const levels = typeof guard.severity === 'string' ? [guard.severity] : guard.severity.among;
      for (const level of levels) expect(['critical', 'high', 'medium']).toContain(level);
      expect(typeof guard.blocksRun === 'boolean' || typeof guard.blocksRun.choose === 'function').toBe(true);
    }
  });
});
