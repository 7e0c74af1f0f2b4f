/** The project's one policy-document decoder (inventory and backups): decode only when encoded, exactly once. */
import { decodePolicyDocument } from '../../src/policy/decode';

describe('decodePolicyDocument', () => {
  const policy =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:user/a b"},"Action":"sts:AssumeRole"}]}';

  it('GIVEN a percent-encoded document (as IAM returns it) WHEN decoded THEN the JSON comes back', () => {
    expect(decodePolicyDocument(encodeURIComponent(policy))).toBe(policy);
  });

  it('GIVEN plain JSON containing a literal "%" WHEN decoded THEN it is returned untouched', () => {
    const withPercent = '{"Condition":{"StringLike":{"aws:username":"100%25-sure"}}}';
    expect(decodePolicyDocument(withPercent)).toBe(withPercent);
  });

  it('GIVEN plain JSON containing a literal "%20" WHEN decoded THEN the "%20" stays (it is not a space)', () => {
    const withEscape = '{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a%20b"}]}';
    expect(decodePolicyDocument(withEscape)).toBe(withEscape);
  });

  it('GIVEN an encoded document whose JSON holds a literal "%20" WHEN decoded THEN it is decoded exactly once', () => {
    const withEscape = '{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/a%20b"}]}';
    expect(decodePolicyDocument(encodeURIComponent(withEscape))).toBe(withEscape);
  });

  it('GIVEN plain JSON with leading whitespace WHEN decoded THEN it is returned untouched', () => {
    expect(decodePolicyDocument(`  \n${policy}`)).toBe(`  \n${policy}`);
  });

  it('GIVEN a plain document without any "%" WHEN decoded THEN it is unchanged', () => {
    expect(decodePolicyDocument('{"a":1}')).toBe('{"a":1}');
  });

  it('GIVEN plain JSON with a stray percent sign WHEN decoded THEN the text is kept as is', () => {
    expect(decodePolicyDocument('{"a":"100%"}')).toBe('{"a":"100%"}');
  });

  it('GIVEN malformed percent-encoding WHEN decoded THEN the raw text is returned for the JSON parse to reject', () => {
    expect(decodePolicyDocument('%7B%E0%A4%A')).toBe('%7B%E0%A4%A');
  });
});
