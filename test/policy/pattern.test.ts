/** policyValueMatches: policy variables, escapes and versions in one policy string. */
import { policyValueMatches } from '../../src/policy/pattern';
import type { PrincipalIdentity } from '../../src/policy/principal';

const vera: PrincipalIdentity = { name: 'vera', arn: 'arn:aws:iam::111122223333:user/team/vera', id: 'AIDAVERAXXXXXXXXXXXXX' };
const role: PrincipalIdentity = { name: null, arn: 'arn:aws:iam::111122223333:role/deploy', id: 'AROADEPLOYXXXXXXXXXXX' };
const root: PrincipalIdentity = { name: null, arn: 'arn:aws:iam::111122223333:root', id: '111122223333' };

describe('policy variables (Version 2012-10-17)', () => {
  it.each([
    ['${aws:username}', 'vera'],
    ['${aws:userid}', 'AIDAVERAXXXXXXXXXXXXX'],
    ['arn:aws:iam::${aws:PrincipalAccount}:user/team/vera', vera.arn],
    ['${aws:PrincipalArn}', vera.arn],
    ['${aws:PrincipalType}', 'User'],
    ['${AWS:USERNAME}', 'vera'],
  ])('GIVEN %s WHEN matched against the user value %s THEN it matches (known variable substituted)', (pattern, actual) => {
    expect(policyValueMatches(pattern, actual, 'exact', vera, true)).toBe(true);
  });

  it('GIVEN a known variable WHEN the value differs THEN no match (it is substituted, not a wildcard)', () => {
    expect(
      policyValueMatches(
        'arn:aws:iam::${aws:PrincipalAccount}:user/team/vera',
        'arn:aws:iam::999999999999:user/team/vera',
        'exact',
        vera,
        true,
      ),
    ).toBe(false);
    expect(policyValueMatches('${aws:username}', 'hank', 'glob', vera, true)).toBe(false);
  });

  it('GIVEN an unknown variable WHEN matched THEN it matches anything, in exact and glob comparisons', () => {
    expect(policyValueMatches('arn:aws:iam::111122223333:user/${aws:PrincipalTag/team}', vera.arn, 'exact', vera, true)).toBe(true);
    expect(policyValueMatches('${aws:SourceIp}', 'anything', 'glob', vera, true)).toBe(true);
  });

  it('GIVEN aws:PrincipalType WHEN evaluated for a role and the root THEN AssumedRole and Account', () => {
    expect(policyValueMatches('${aws:PrincipalType}', 'AssumedRole', 'exact', role, true)).toBe(true);
    expect(policyValueMatches('${aws:PrincipalType}', 'Account', 'exact', root, true)).toBe(true);
  });

  it("GIVEN aws:username for a role (absent) WHEN matched THEN no match, or the ${key, 'default'} default", () => {
    expect(policyValueMatches('${aws:username}', 'deploy', 'glob', role, true)).toBe(false);
    expect(policyValueMatches("${aws:username, 'nobody'}", 'nobody', 'exact', role, true)).toBe(true);
  });
});

describe('escapes ${*} ${?} ${$}', () => {
  it('GIVEN ${*} WHEN matched with a *Like comparison THEN it is a literal "*", not a wildcard', () => {
    expect(policyValueMatches('a${*}b', 'a*b', 'glob', vera, true)).toBe(true);
    expect(policyValueMatches('a${*}b', 'axxb', 'glob', vera, true)).toBe(false);
  });

  it('GIVEN ${?} WHEN matched with a *Like comparison THEN it is a literal "?"', () => {
    expect(policyValueMatches('a${?}', 'a?', 'glob', vera, true)).toBe(true);
    expect(policyValueMatches('a${?}', 'ax', 'glob', vera, true)).toBe(false);
  });

  it('GIVEN ${$} WHEN matched THEN it is a literal "$" and what follows is no variable', () => {
    expect(policyValueMatches('${$}{aws:username}', '${aws:username}', 'exact', vera, true)).toBe(true);
    expect(policyValueMatches('${$}{aws:username}', 'vera', 'exact', vera, true)).toBe(false);
  });
});

describe('Version 2008-10-17 or none: ${...} is literal text', () => {
  it('GIVEN ${aws:username} WHEN variables are off THEN it matches only its own text', () => {
    expect(policyValueMatches('${aws:username}', 'vera', 'exact', vera, false)).toBe(false);
    expect(policyValueMatches('${aws:username}', '${aws:username}', 'exact', vera, false)).toBe(true);
  });

  it('GIVEN ${*} WHEN variables are off THEN its "*" is a wildcard as anywhere in a *Like comparison', () => {
    expect(policyValueMatches('a${*}', 'a${xyz}', 'glob', vera, false)).toBe(true);
  });
});
