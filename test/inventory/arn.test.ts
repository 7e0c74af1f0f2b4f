import { callerIdentityFromArn, parseArn, partitionOf } from '../../src/inventory/arn';

describe('parseArn', () => {
  it('GIVEN a user ARN with a path WHEN parsed THEN the resource keeps the path', () => {
    expect(parseArn('arn:aws:iam::111122223333:user/division/name')).toEqual({
      partition: 'aws',
      service: 'iam',
      region: '',
      account: '111122223333',
      resource: 'user/division/name',
    });
  });

  it('GIVEN a resource containing ":" WHEN parsed THEN the resource is kept whole', () => {
    expect(parseArn('arn:aws:kms:us-east-1:111122223333:alias/a:b')?.resource).toBe('alias/a:b');
  });

  it('GIVEN text that is not an ARN WHEN parsed THEN null', () => {
    expect(parseArn('AIDAEXAMPLE')).toBeNull();
    expect(parseArn('arn::iam::1:root')).toBeNull();
  });

  it('GIVEN ARNs of other partitions WHEN the partition is asked THEN it is read from the ARN', () => {
    expect(partitionOf('arn:aws-cn:iam::111122223333:root')).toBe('aws-cn');
    expect(partitionOf('arn:aws-us-gov:sts::111122223333:assumed-role/R/s')).toBe('aws-us-gov');
    expect(partitionOf('nonsense')).toBeNull();
  });
});

describe('callerIdentityFromArn', () => {
  it('GIVEN a user ARN with a path WHEN classified THEN kind user and the name is the last segment', () => {
    expect(callerIdentityFromArn('111122223333', 'arn:aws:iam::111122223333:user/ci/ci-bootstrap', 'AIDAX')).toEqual({
      account: '111122223333',
      arn: 'arn:aws:iam::111122223333:user/ci/ci-bootstrap',
      userId: 'AIDAX',
      kind: 'user',
      userName: 'ci-bootstrap',
    });
  });

  it('GIVEN an assumed-role ARN WHEN classified THEN kind assumed-role without a user name', () => {
    const caller = callerIdentityFromArn('1', 'arn:aws:sts::1:assumed-role/platform-admin/session-1', 'AROAX:session-1');
    expect(caller.kind).toBe('assumed-role');
    expect(caller.userName).toBeUndefined();
  });

  it('GIVEN the root ARN WHEN classified THEN kind root', () => {
    expect(callerIdentityFromArn('1', 'arn:aws:iam::1:root', '1').kind).toBe('root');
  });

  it('GIVEN a federated user WHEN classified THEN kind other', () => {
    expect(callerIdentityFromArn('1', 'arn:aws:sts::1:federated-user/bob', '1:bob').kind).toBe('other');
  });
});
