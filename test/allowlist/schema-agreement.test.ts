import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { AllowlistError, parseAllowlist } from '../../src/allowlist/load';
import { DEFAULT_SETTINGS } from '../../src/allowlist/normalize';
import { NOW, yamlLines } from './helpers';

const ROOT = join(__dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'allowlist.schema.json'), 'utf8')) as Record<string, unknown>;
// A fresh validator, independent of the loader's, as an editor would use it.
const schemaAccepts = new Ajv({ allErrors: true, strict: false }).compile(schema);

function loaderAccepts(text: string): boolean {
  try {
    parseAllowlist(text, 'fixture.yaml', { now: NOW });
    return true;
  } catch (err) {
    if (err instanceof AllowlistError) return false;
    throw err;
  }
}

const user = ['  - name: alice', '    owner: o', '    reason: r'];
const ACCEPTED: Record<string, string> = {
  sample: readFileSync(join(ROOT, 'allowlist.yaml'), 'utf8'),
  minimal: yamlLines('version: 1', 'users:', ...user),
  'empty users': yamlLines('version: 1', 'users: []'),
  'region list': yamlLines('version: 1', 'guards:', '  regions: [us-east-1, us-gov-west-1, cn-north-1]', 'users:', ...user),
  'null inactivity': yamlLines('version: 1', 'defaults:', '  inactiveAfterDays: null', 'users:', ...user),
  'expired exception': yamlLines(
    'version: 1',
    'users:',
    ...user,
    'exceptions:',
    '  - name: b',
    '    owner: o',
    '    reason: r',
    '    expires: 2020-01-01',
  ),
};

const TYPE_ERRORS: Record<string, string> = {
  'version 2': yamlLines('version: 2', 'users: []'),
  'numeric account': yamlLines('version: 1', 'account: 111122223333', 'users: []'),
  'string number': yamlLines('version: 1', 'defaults:', '  maxRemovalsPerRun: "3"', 'users: []'),
  fraction: yamlLines('version: 1', 'guards:', '  recentlyActiveDays: 2.5', 'users: []'),
  'unknown key': yamlLines('version: 1', 'users:', ...user, '    team: x'),
  'missing reason': yamlLines('version: 1', 'users:', '  - name: a', '    owner: o'),
  'bad enum': yamlLines('version: 1', 'defaults:', '  action: purge', 'users: []'),
  'bad path': yamlLines('version: 1', 'users:', ...user, '    path: engineering'),
  'bad name': yamlLines('version: 1', 'users:', '  - name: "a b"', '    owner: o', '    reason: r'),
  'bad date shape': yamlLines('version: 1', 'users:', ...user, '    expires: 2026-1-1'),
  'regions scalar': yamlLines('version: 1', 'guards:', '  regions: some', 'users: []'),
  'exception without expiry': yamlLines('version: 1', 'users: []', 'exceptions:', '  - name: b', '    owner: o', '    reason: r'),
  'boolean as string': yamlLines('version: 1', 'guards:', '  allowEmpty: "true"', 'users: []'),
};

/** Rules the schema cannot express: only the loader rejects these. */
const SEMANTIC_ERRORS: Record<string, string> = {
  'case-only duplicate': yamlLines('version: 1', 'users:', ...user, '  - name: ALICE', '    owner: o', '    reason: r'),
  'declared and excepted': yamlLines(
    'version: 1',
    'users:',
    ...user,
    'exceptions:',
    '  - name: alice',
    '    owner: o',
    '    reason: r',
    '    expires: 2030-01-01',
  ),
  'February 30th': yamlLines('version: 1', 'users:', ...user, '    expires: 2026-02-30'),
};

describe('loader and JSON Schema agree', () => {
  test('GIVEN the schema file WHEN checked against the draft-07 meta-schema THEN it is valid', () => {
    expect(new Ajv({ strict: true }).validateSchema(schema)).toBe(true);
  });

  test.each(Object.entries(ACCEPTED))('GIVEN the %s fixture WHEN validated THEN both loader and schema accept it', (_name, text) => {
    expect(loaderAccepts(text)).toBe(true);
    expect(schemaAccepts(parse(text, { schema: 'core' }))).toBe(true);
  });

  test.each(Object.entries(TYPE_ERRORS))('GIVEN the %s fixture WHEN validated THEN both loader and schema reject it', (_name, text) => {
    expect(loaderAccepts(text)).toBe(false);
    expect(schemaAccepts(parse(text, { schema: 'core' }))).toBe(false);
  });

  test.each(Object.entries(SEMANTIC_ERRORS))(
    'GIVEN the %s fixture WHEN validated THEN the schema passes it and the loader rejects it',
    (_name, text) => {
      expect(schemaAccepts(parse(text, { schema: 'core' }))).toBe(true);
      expect(loaderAccepts(text)).toBe(false);
    },
  );

  test('GIVEN the schema defaults WHEN compared with the loader defaults THEN they are the same', () => {
    const properties = schema['properties'] as Record<string, { properties: Record<string, { default?: unknown }> }>;
    for (const section of ['defaults', 'guards'] as const) {
      for (const [key, spec] of Object.entries(properties[section]?.properties ?? {})) {
        if ('default' in spec)
          expect([section, key, spec.default]).toEqual([
            section,
            key,
            (DEFAULT_SETTINGS[section] as unknown as Record<string, unknown>)[key],
          ]);
      }
    }
  });

  test('GIVEN the schema WHEN every property is inspected THEN each has a description for editors', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const properties = (node as { properties?: Record<string, Record<string, unknown>> }).properties;
      for (const [key, spec] of Object.entries(properties ?? {})) {
        const described = typeof spec['description'] === 'string' || typeof spec['$ref'] === 'string';
        if (!described) missing.push(`${path}.${key}`);
        walk(spec, `${path}.${key}`);
        walk(spec['items'], `${path}.${key}[]`);
      }
    };
    walk(schema, '$');
    expect(missing).toEqual([]);
  });
});
