import { ServiceError } from '../../src/endpoint/errors';
import { Faults } from '../../src/endpoint/faults';
import { paginate } from '../../src/endpoint/iam/pagination';
import { QueryParams, queryErrorXml, queryResponseXml } from '../../src/endpoint/protocol/query';
import { elementXml } from '../../src/endpoint/protocol/xml';
import { routeRequest } from '../../src/endpoint/routing';

const call = (operation: string, extra: Partial<Parameters<Faults['check']>[0]> = {}) => ({
  service: 'iam' as const,
  operation,
  region: 'us-east-1',
  mutating: false,
  callerArn: 'arn:aws:iam::111122223333:user/me',
  ...extra,
});

describe('Query protocol pieces', () => {
  test('GIVEN member-encoded params WHEN parsed THEN string and struct lists come back in order', () => {
    const params = new QueryParams(
      'Action=TagUser&UserName=a%2Bb&Tags.member.1.Key=k1&Tags.member.1.Value=v1&Tags.member.2.Key=k2&Filter.member.1=User&Filter.member.2=Role',
    );
    expect(params.action).toBe('TagUser');
    expect(params.required('UserName')).toBe('a+b');
    expect(params.structList('Tags', ['Key', 'Value'])).toEqual([
      { Key: 'k1', Value: 'v1' },
      { Key: 'k2', Value: undefined },
    ]);
    expect(params.stringList('Filter')).toEqual(['User', 'Role']);
  });

  test('GIVEN a missing required param WHEN read THEN ValidationError', () => {
    expect(() => new QueryParams('Action=GetUser').required('UserName')).toThrow(ServiceError);
  });

  test('GIVEN nested values WHEN serialised THEN lists use member, dates drop milliseconds and text is escaped', () => {
    const xml = elementXml('R', { Names: ['a<b', 'c'], When: new Date('2026-01-02T03:04:05.678Z'), Ok: true, Skip: undefined });
    expect(xml).toBe('<R><Names><member>a&lt;b</member><member>c</member></Names><When>2026-01-02T03:04:05Z</When><Ok>true</Ok></R>');
  });

  test('GIVEN a result or an error WHEN rendered THEN the AWS envelope is used', () => {
    expect(queryResponseXml('DeleteUser', 'ns', undefined, 'rid')).toBe(
      '<DeleteUserResponse xmlns="ns"><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></DeleteUserResponse>',
    );
    expect(queryErrorXml(new ServiceError('NoSuchEntity', 'gone & lost', 404), 'rid')).toBe(
      '<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>gone &amp; lost</Message></Error><RequestId>rid</RequestId></ErrorResponse>',
    );
  });

  test('GIVEN sorted items WHEN paginated THEN markers continue after the last key and the last page is not truncated', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    const first = paginate(items, (x) => x, new QueryParams('MaxItems=2'));
    expect(first.items).toEqual(['a', 'b']);
    const second = paginate(items, (x) => x, new QueryParams(`MaxItems=2&Marker=${encodeURIComponent(first.marker ?? '')}`));
    expect(second.items).toEqual(['c', 'd']);
    const third = paginate(items, (x) => x, new QueryParams(`MaxItems=2&Marker=${encodeURIComponent(second.marker ?? '')}`));
    expect(third).toEqual({ items: ['e'], isTruncated: false, marker: undefined });
  });

  test('GIVEN SigV4 scopes WHEN routed THEN service and region come from the scope, whatever the body', () => {
    const auth = (region: string, service: string) => ({
      authorization: `AWS4-HMAC-SHA256 Credential=AKID/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=abc`,
    });
    expect(routeRequest(auth('us-east-1', 'sts'), '/', 'Action=GetCallerIdentity')).toEqual({ service: 'sts', region: 'us-east-1' });
    expect(routeRequest(auth('eu-west-1', 'kms'), '/', '{}')).toEqual({ service: 'kms', region: 'eu-west-1' });
    expect(routeRequest(auth('us-east-1', 'iam'), '/', 'Action=ListUsers')).toEqual({ service: 'iam', region: 'us-east-1' });
    expect(routeRequest({ 'x-amz-target': 'TrentService.ListKeys' }, '/', '{}').service).toBe('kms');
  });
});

describe('Faults', () => {
  test('GIVEN a 2/s limit with burst 2 WHEN 3 calls arrive at once THEN the third is throttled, and after 500 ms one more passes', () => {
    let now = 0;
    const faults = new Faults(() => now);
    faults.setRateLimit('iam:ListUsers', 2, 2);
    expect(faults.check(call('ListUsers'))).toBeUndefined();
    expect(faults.check(call('ListUsers'))).toBeUndefined();
    expect(faults.check(call('ListUsers'))).toMatchObject({ code: 'Throttling', status: 400, message: 'Rate exceeded' });
    expect(faults.check(call('GetUser'))).toBeUndefined();
    now = 500;
    expect(faults.check(call('ListUsers'))).toBeUndefined();
    expect(faults.check(call('ListUsers'))).toBeDefined();
  });

  test('GIVEN a KMS service-wide limit WHEN two regions call THEN each region has its own bucket', () => {
    const faults = new Faults(() => 0);
    faults.setRateLimit('kms:*', 1, 1);
    const kms = (region: string) => call('GetKeyPolicy', { service: 'kms', region });
    expect(faults.check(kms('us-east-1'))).toBeUndefined();
    expect(faults.check(kms('us-east-1'))).toMatchObject({ code: 'ThrottlingException' });
    expect(faults.check(kms('eu-west-1'))).toBeUndefined();
  });

  test('GIVEN failNth(2) WHEN called three times THEN only the second fails, with a Receiver 5xx by default', () => {
    const faults = new Faults();
    faults.failNth('iam:GetUser', 2);
    expect(faults.check(call('GetUser'))).toBeUndefined();
    expect(faults.check(call('GetUser'))).toMatchObject({ code: 'ServiceFailure', status: 500, fault: 'Receiver' });
    expect(faults.check(call('GetUser'))).toBeUndefined();
  });

  test('GIVEN a denied key by ARN WHEN a call names it by id THEN AccessDeniedException; read-only refuses only mutating calls', () => {
    const faults = new Faults();
    faults.denyKey('arn:aws:kms:us-east-1:111122223333:key/k-1');
    expect(faults.check(call('GetKeyPolicy', { service: 'kms', keyId: 'k-1' }))).toMatchObject({ code: 'AccessDeniedException' });
    expect(faults.check(call('GetKeyPolicy', { service: 'kms', keyId: 'k-2' }))).toBeUndefined();
    faults.setReadOnly(true);
    expect(faults.check(call('DeleteUser', { mutating: true }))).toMatchObject({ code: 'AccessDenied', status: 403 });
    expect(faults.check(call('GetUser'))).toBeUndefined();
    faults.clear();
    expect(faults.check(call('DeleteUser', { mutating: true }))).toBeUndefined();
  });
});
