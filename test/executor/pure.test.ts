import { toTagValue } from '../../src/model/quarantine-marker';
import { isVirtualMfaSerial } from '../../src/executor/read-user';

describe('isVirtualMfaSerial', () => {
  test.each([
    ['arn:aws:iam::111122223333:mfa/old-admin', true],
    ['arn:aws-us-gov:iam::111122223333:mfa/path/dev', true],
    ['GAHT12345678', false],
    ['arn:aws:iam::111122223333:u2f/user/alice/key-ABC', false],
  ])('GIVEN serial %s WHEN classified THEN virtual is %s', (serial, expected) => {
    expect(isVirtualMfaSerial(serial)).toBe(expected);
  });
});

describe('toTagValue', () => {
  test('GIVEN characters IAM tags reject WHEN sanitised THEN separators become " - ", the rest spaces, and the length is capped', () => {
    expect(toTagValue('undeclared; unused (200 days)!')).toBe('undeclared - unused - 200 days');
    expect(toTagValue('x'.repeat(300))).toHaveLength(256);
    expect(toTagValue('a:b/c=d+e-f@g_h.i')).toBe('a:b/c=d+e-f@g_h.i');
  });
});
