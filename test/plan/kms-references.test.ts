/** Every KMS key-policy pitfall from DESIGN.md, each as a positive and a negative case. */
import { userIdentity } from '../../src/plan/context';
import { globMatches } from '../../src/policy/glob';
import { parsePolicyDocument, type PolicyStatement } from '../../src/policy/document';
import { mayReferenceUsers, policyReferences } from '../../src/policy/principal';
import { ACCOUNT, aUser, userArn } from './fixtures';

const pipeline = aUser({ name: 'data-pipeline', path: '/service/' });
const PIPELINE_ARN = userArn('data-pipeline', '/service/');

function statementsOf(policy: object | string): readonly PolicyStatement[] {
  const parsed = parsePolicyDocument(typeof policy === 'string' ? policy : JSON.stringify(policy));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.statements;
}

function references(policy: object | string, user = pipeline) {
  return policyReferences(statementsOf(policy), userIdentity(user), ACCOUNT);
}

function allow(principal: unknown, extra: object = {}): object {
  return { Effect: 'Allow', Principal: principal, Action: 'kms:Decrypt', Resource: '*', ...extra };
}

describe('policy document parsing', () => {
  it('GIVEN Statement as a single object WHEN parsed THEN it is read as a one-element list', () => {
    const statements = statementsOf({ Statement: allow({ AWS: PIPELINE_ARN }) });
    expect(statements).toHaveLength(1);
    expect(statements[0]?.principals).toEqual([{ type: 'AWS', value: PIPELINE_ARN }]);
  });

  it('GIVEN Statement as a list WHEN parsed THEN every statement is read in order', () => {
    const statements = statementsOf({ Statement: [allow('*'), { ...allow({ AWS: [PIPELINE_ARN, ACCOUNT] }), Sid: 'two' }] });
    expect(statements.map((s) => s.sid)).toEqual([null, 'two']);
    expect(statements[1]?.principals?.map((p) => p.value)).toEqual([PIPELINE_ARN, ACCOUNT]);
  });

  it('GIVEN invalid JSON or no Statement WHEN parsed THEN it is an error, never an empty policy', () => {
    expect(parsePolicyDocument('{not json').ok).toBe(false);
    expect(parsePolicyDocument('{"Version":"2012-10-17"}').ok).toBe(false);
    expect(parsePolicyDocument('{"Statement":[{"Principal":"*"}]}').ok).toBe(false);
  });

  it('GIVEN condition keys in mixed case WHEN parsed THEN keys are lower-cased and operators reduced to their base', () => {
    const [statement] = statementsOf({
      Statement: allow('*', { Condition: { 'ForAnyValue:StringLikeIfExists': { 'AWS:PrincipalARN': 'x' } } }),
    });
    expect(statement?.conditions).toEqual([
      { operator: 'ForAnyValue:StringLikeIfExists', baseOperator: 'stringlike', key: 'aws:principalarn', values: ['x'] },
    ]);
  });
});

describe('glob matching', () => {
  it('GIVEN * and ? WHEN matched THEN * spans any run (including /) and ? exactly one character, case-insensitively', () => {
    expect(globMatches('arn:aws:iam::1:user/*', 'arn:aws:iam::1:user/a/b')).toBe(true);
    expect(globMatches('user-?', 'USER-1')).toBe(true);
    expect(globMatches('user-?', 'user-12')).toBe(false);
    expect(globMatches('a.b', 'axb')).toBe(false);
  });
});

describe('Principal forms', () => {
  it('GIVEN Principal {"AWS": "<user ARN with path>"} WHEN analysed THEN it references the user', () => {
    expect(references({ Statement: allow({ AWS: PIPELINE_ARN }) })).toHaveLength(1);
  });

  it('GIVEN Principal {"AWS": "<ARN without the path>"} WHEN analysed THEN it does not (that is another principal)', () => {
    expect(references({ Statement: allow({ AWS: userArn('data-pipeline', '/') }) })).toEqual([]);
  });

  it('GIVEN Principal {"AWS": [other, user]} WHEN analysed THEN it references the user', () => {
    expect(references({ Statement: allow({ AWS: [userArn('someone-else'), PIPELINE_ARN] }) })).toHaveLength(1);
  });

  it('GIVEN Principal {"AWS": [other users]} WHEN analysed THEN it does not', () => {
    expect(references({ Statement: allow({ AWS: [userArn('someone-else'), userArn('data-pipeline-2', '/service/')] }) })).toEqual([]);
  });

  it('GIVEN the user ARN in different case WHEN analysed THEN it references the user (IAM names are case-insensitive)', () => {
    expect(references({ Statement: allow({ AWS: `arn:aws:iam::${ACCOUNT}:user/service/Data-Pipeline` }) })).toHaveLength(1);
  });

  it('GIVEN the user unique id (AIDA…) WHEN analysed THEN it references the user', () => {
    expect(references({ Statement: allow({ AWS: pipeline.userId }) })).toHaveLength(1);
  });

  it('GIVEN another unique id WHEN analysed THEN it does not', () => {
    expect(references({ Statement: allow({ AWS: 'AIDAOTHERUSERIDXXXXX' }) })).toEqual([]);
  });

  it('GIVEN the account root ARN or the bare account id WHEN analysed THEN it does not reference a particular user', () => {
    expect(references({ Statement: allow({ AWS: `arn:aws:iam::${ACCOUNT}:root` }) })).toEqual([]);
    expect(references({ Statement: allow({ AWS: ACCOUNT }) })).toEqual([]);
  });

  it('GIVEN Principal "*" or {"AWS":"*"} without identity conditions WHEN analysed THEN it does not reference a particular user', () => {
    expect(references({ Statement: allow('*') })).toEqual([]);
    expect(references({ Statement: allow({ AWS: '*' }, { Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } }) })).toEqual([]);
  });

  it('GIVEN a wildcard ARN matching the user (user/service/*, user/*-pipeline, ?) WHEN analysed THEN it references the user', () => {
    expect(references({ Statement: allow({ AWS: `arn:aws:iam::${ACCOUNT}:user/service/*` }) })).toHaveLength(1);
    expect(references({ Statement: allow({ AWS: `arn:aws:iam::${ACCOUNT}:user/*-pipeline` }) })).toHaveLength(1);
    expect(references({ Statement: allow({ AWS: `arn:aws:iam::${ACCOUNT}:user/service/data-pipelin?` }) })).toHaveLength(1);
  });

  it('GIVEN a wildcard ARN not matching the user WHEN analysed THEN it does not', () => {
    expect(references({ Statement: allow({ AWS: `arn:aws:iam::${ACCOUNT}:user/engineering/*` }) })).toEqual([]);
    expect(references({ Statement: allow({ AWS: `arn:aws:iam::${ACCOUNT}:user/service/data-pipelin??` }) })).toEqual([]);
  });

  it('GIVEN a user ARN of another account WHEN analysed THEN it does not', () => {
    expect(references({ Statement: allow({ AWS: 'arn:aws:iam::999999999999:user/service/data-pipeline' }) })).toEqual([]);
  });

  it('GIVEN a Service principal WHEN analysed THEN it does not', () => {
    expect(references({ Statement: allow({ Service: 'data-pipeline.amazonaws.com' }) })).toEqual([]);
  });
});

describe('identity conditions with Principal "*" or the account root', () => {
  const withCondition = (condition: object, principal: unknown = { AWS: '*' }) => ({
    Statement: allow(principal, { Condition: condition }),
  });

  it.each([
    ['ArnLike aws:PrincipalArn with wildcard', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/service/data-*` } }],
    ['ArnEquals aws:PrincipalArn', { ArnEquals: { 'aws:PrincipalArn': PIPELINE_ARN } }],
    ['StringEquals aws:PrincipalArn', { StringEquals: { 'aws:PrincipalArn': PIPELINE_ARN } }],
    ['StringLike aws:username', { StringLike: { 'aws:username': 'data-*' } }],
    ['StringEquals aws:username, other case', { StringEquals: { 'aws:username': 'DATA-PIPELINE' } }],
    ['StringEquals aws:userid', { StringEquals: { 'aws:userid': pipeline.userId } }],
    ['StringEqualsIfExists variant', { StringEqualsIfExists: { 'aws:username': 'data-pipeline' } }],
    [
      'ForAnyValue:StringLike variant',
      { 'ForAnyValue:StringLike': { 'aws:PrincipalArn': ['arn:aws:iam::*:user/nope', '*data-pipeline'] } },
    ],
    ['ArnLikeIfExists variant', { ArnLikeIfExists: { 'aws:principalarn': `arn:aws:iam::${ACCOUNT}:user/*` } }],
    ['condition key in odd case', { StringEquals: { 'AWS:UserName': 'data-pipeline' } }],
  ])('GIVEN %s that the user satisfies WHEN analysed THEN it references the user', (_label, condition) => {
    const found = references(withCondition(condition));
    expect(found).toHaveLength(1);
    expect(found[0]?.via).toBe('condition');
  });

  it.each([
    ['ArnLike aws:PrincipalArn for another prefix', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/analytics-*` } }],
    ['StringEquals aws:username for another user', { StringEquals: { 'aws:username': 'bob' } }],
    ['StringEquals aws:userid for another id', { StringEquals: { 'aws:userid': 'AIDAOTHER' } }],
    ['StringEquals with a literal * (no wildcards in StringEquals)', { StringEquals: { 'aws:username': 'data-*' } }],
    ['a negated operator that excludes the user', { StringNotEquals: { 'aws:username': 'data-pipeline' } }],
    [
      'two clauses, one the user fails (AND)',
      { StringLike: { 'aws:username': 'data-*' }, ArnEquals: { 'aws:PrincipalArn': userArn('bob') } },
    ],
    ['a non-identity condition only', { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }],
  ])('GIVEN %s WHEN analysed THEN it does not reference the user', (_label, condition) => {
    expect(references(withCondition(condition))).toEqual([]);
  });

  it('GIVEN Principal "*" (string form) with a matching condition WHEN analysed THEN it references the user', () => {
    expect(references(withCondition({ StringEquals: { 'aws:username': 'data-pipeline' } }, '*'))).toHaveLength(1);
  });

  it('GIVEN the account root principal with a condition naming the user WHEN analysed THEN it references the user', () => {
    expect(
      references(withCondition({ ArnEquals: { 'aws:PrincipalArn': PIPELINE_ARN } }, { AWS: `arn:aws:iam::${ACCOUNT}:root` })),
    ).toHaveLength(1);
  });

  it('GIVEN a specific other principal with a condition naming the user WHEN analysed THEN it does not (the condition cannot widen the principal)', () => {
    expect(references(withCondition({ StringEquals: { 'aws:username': 'data-pipeline' } }, { AWS: userArn('bob') }))).toEqual([]);
  });
});

describe('Effect and NotPrincipal', () => {
  it('GIVEN a Deny statement naming the user WHEN analysed THEN it is not a reference (a deny is no dependency)', () => {
    expect(references({ Statement: { Effect: 'Deny', Principal: { AWS: PIPELINE_ARN }, Action: 'kms:*', Resource: '*' } })).toEqual([]);
  });

  it('GIVEN an Allow statement naming the user WHEN analysed THEN it is a reference', () => {
    expect(references({ Statement: { Effect: 'Allow', Principal: { AWS: PIPELINE_ARN }, Action: 'kms:*', Resource: '*' } })).toHaveLength(
      1,
    );
  });

  // Issue 11 changed this: NotPrincipal used to be a reference to every user (one hardened key held every removal).
  it('GIVEN NotPrincipal naming someone else (Deny or Allow) WHEN analysed THEN it is no reference to the user', () => {
    const deny = references({ Statement: { Effect: 'Deny', NotPrincipal: { AWS: userArn('bob') }, Action: 'kms:*', Resource: '*' } });
    const allowed = references({ Statement: { Effect: 'Allow', NotPrincipal: { AWS: userArn('bob') }, Action: 'kms:*', Resource: '*' } });
    expect(deny).toEqual([]);
    expect(allowed).toEqual([]);
  });

  it('GIVEN a Deny whose NotPrincipal names the user WHEN analysed THEN it is a not-principal reference', () => {
    const deny = references({ Statement: { Effect: 'Deny', NotPrincipal: { AWS: PIPELINE_ARN }, Action: 'kms:*', Resource: '*' } });
    expect(deny.map((ref) => ref.via)).toEqual(['not-principal']);
  });

  it('GIVEN a reference WHEN described THEN the detail names the statement Sid', () => {
    const [found] = references({ Statement: { ...allow({ AWS: PIPELINE_ARN }), Sid: 'AllowPipeline' } });
    expect(found?.detail).toContain('"AllowPipeline"');
    expect(found?.detail).toContain(PIPELINE_ARN);
  });
});

describe('mayReferenceUsers pre-filter (must never drop a possible reference)', () => {
  const first = (policy: object) => statementsOf(policy)[0] as PolicyStatement;

  it.each([
    ['a user ARN', allow({ AWS: PIPELINE_ARN })],
    ['a unique id', allow({ AWS: 'AIDAEXAMPLE' })],
    ['a wildcard', allow({ AWS: `arn:aws:iam::${ACCOUNT}:*` })],
    ['"*" with an identity condition', allow('*', { Condition: { StringLike: { 'aws:username': 'x*' } } })],
    ['NotPrincipal', { Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/admin` }, Action: '*', Resource: '*' }],
  ])('GIVEN a statement with %s WHEN pre-filtered THEN kept', (_label, statement) => {
    expect(mayReferenceUsers(first({ Statement: statement }), ACCOUNT)).toBe(true);
  });

  it.each([
    ['the account root only', allow({ AWS: `arn:aws:iam::${ACCOUNT}:root` })],
    ['a role only', allow({ AWS: `arn:aws:iam::${ACCOUNT}:role/admin` })],
    ['a service only', allow({ Service: 'logs.amazonaws.com' })],
    ['"*" with a non-identity condition', allow('*', { Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } })],
    ['a Deny naming a user', { Effect: 'Deny', Principal: { AWS: PIPELINE_ARN }, Action: '*', Resource: '*' }],
  ])('GIVEN a statement with %s WHEN pre-filtered THEN skipped', (_label, statement) => {
    expect(mayReferenceUsers(first({ Statement: statement }), ACCOUNT)).toBe(false);
  });
});
