import { snapshotShapeProblem } from '../../src/inventory/snapshot-shape';
import { plan } from '../../src/plan/plan';
import { renderJson } from '../../src/plan/render/json';
import { renderMarkdown } from '../../src/plan/render/markdown';
import { runFactsOf } from '../../src/plan/render/run-facts';
import { renderText } from '../../src/plan/render/text';
import { anAllowlist, aSnapshot, aUser, NOW } from './fixtures';

const snapshot = {
  ...aSnapshot({ users: [aUser({ name: 'intruder' })] }),
  accountAlias: 'prod-main',
  endpointOverrides: [{ variable: 'AWS_ENDPOINT_URL_STS', url: 'http://127.0.0.1:4566' }],
};
const result = plan(snapshot, anAllowlist(), NOW);
const facts = runFactsOf(snapshot);

describe('the plan header', () => {
  it('GIVEN run facts WHEN rendered as text THEN account with alias, caller and endpoint override head the plan', () => {
    expect(renderText(result, { facts }).split('\n').slice(0, 3)).toEqual([
      `iam-allowlist plan for account ${snapshot.accountId} (alias prod-main)`,
      `  caller ${snapshot.caller.arn}`,
      '  endpoint override: AWS_ENDPOINT_URL_STS=http://127.0.0.1:4566',
    ]);
  });

  it('GIVEN a role assumed by a CI user and an account without alias WHEN rendered THEN both identities and "(no alias)"', () => {
    const ci = { ...snapshot.caller, arn: 'arn:aws:iam::111122223333:user/ci' };
    const assumed = { ...snapshot, accountAlias: null, baseCaller: ci, endpointOverrides: [] };
    const text = renderText(plan(assumed, anAllowlist(), NOW), { facts: runFactsOf(assumed) });
    expect(text).toContain('(no alias)\n');
    expect(text).toContain(`  caller ${snapshot.caller.arn}, assumed by arn:aws:iam::111122223333:user/ci\n`);
    expect(text).not.toContain('endpoint override');
  });

  it('GIVEN run facts WHEN rendered as markdown and JSON THEN the same facts, JSON under "run"', () => {
    const markdown = renderMarkdown(result, facts);
    expect(markdown).toContain('(`prod-main`)');
    const override = 'Endpoint override: `AWS_ENDPOINT_URL_STS` = `http://127.0.0.1:4566`.';
    expect(markdown).toContain(`Caller \`${snapshot.caller.arn}\`. ${override}`);
    expect((JSON.parse(renderJson(result, facts)) as { run: unknown }).run).toEqual({
      accountAlias: 'prod-main',
      callerArn: snapshot.caller.arn,
      endpointOverrides: [{ url: 'http://127.0.0.1:4566', variable: 'AWS_ENDPOINT_URL_STS' }],
    });
    expect(JSON.parse(renderJson(result))).not.toHaveProperty('run');
  });
});

describe('colour in the text plan', () => {
  it('GIVEN color WHEN rendered THEN the deletion is red and the summary bold; without it no escape code at all', () => {
    expect(renderText(result, { color: true })).toContain('\u001b[31m- delete intruder\u001b[0m');
    expect(renderText(result, { color: true })).toContain('\u001b[1mPlan: 1 to delete');
    expect(renderText(result)).not.toContain('\u001b[');
  });
});

describe('accountAlias in snapshot files', () => {
  it('GIVEN snapshots with an alias, with null, and without the field (older files) WHEN checked THEN all load; a number does not', () => {
    const base = aSnapshot();
    expect(snapshotShapeProblem({ ...base, accountAlias: 'prod-main' })).toBeNull();
    expect(snapshotShapeProblem({ ...base, accountAlias: null })).toBeNull();
    expect(snapshotShapeProblem(base)).toBeNull();
    expect(snapshotShapeProblem({ ...base, accountAlias: 7 })).toBe('snapshot.accountAlias: expected a string');
    expect(snapshotShapeProblem({ ...base, endpointOverrides: [{ variable: 'AWS_ENDPOINT_URL', url: 'http://x' }] })).toBeNull();
    expect(snapshotShapeProblem({ ...base, endpointOverrides: [{ variable: 'AWS_ENDPOINT_URL' }] })).toBe(
      'snapshot.endpointOverrides[0].url: expected a string',
    );
  });
});
