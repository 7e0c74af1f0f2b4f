import { decodePolicyDocument } from '../../src/inventory/policy-document';

describe('decodePolicyDocument', () => {
  const policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:user/a b"},"Action":"sts:AssumeRole"}]}';

  it('GIVEN a percent-encoded document (as IAM returns it) WHEN decoded THEN the JSON comes back', () => {
    expect(decodePolicyDocument(encodeURIComponent(policy))).toBe(policy);
  });

  it('GIVEN plain JSON containing a literal "%" WHEN decoded THEN it is returned untouched', () => {
    const withPercent = '{"Condition":{"StringLike":{"aws:username":"100%25-sure"}}}';
    expect(decodePolicyDocument(withPercent)).toBe(withPercent);
  });

  it('GIVEN plain JSON with leading whitespace WHEN decoded THEN it is returned untouched', () => {
    expect(decodePolicyDocument(`  \n${policy}`)).toBe(`  \n${policy}`);
  });

  it('GIVEN malformed percent-encoding WHEN decoded THEN the raw text is returned for the JSON parse to reject', () => {
    expect(decodePolicyDocument('%7B%E0%A4%A')).toBe('%7B%E0%A4%A');
  });
});
