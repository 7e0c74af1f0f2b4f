import { blockNameForUser, compareStrings, escapeTemplate, escapeTemplateDeep } from '../../src/construct/names';
import { InternalError } from '../../src/errors';

describe('blockNameForUser', () => {
  it('GIVEN a name Terraform accepts WHEN named THEN it is the prefix plus the name', () => {
    expect(blockNameForUser('user', 'temp-deploy-user')).toBe('user_temp-deploy-user');
  });

  it('GIVEN two IAM names that sanitise alike WHEN named THEN the names differ and are stable', () => {
    const dotted = blockNameForUser('user', 'a.b');
    const underscored = blockNameForUser('user', 'a_b');
    expect(underscored).toBe('user_a_b');
    expect(dotted).toMatch(/^user_a_b_[0-9a-f]{8}$/);
    expect(dotted).not.toBe(underscored);
    expect(blockNameForUser('user', 'a.b')).toBe(dotted);
  });

  it('GIVEN every IAM special character WHEN named THEN only Terraform name characters remain', () => {
    expect(blockNameForUser('held', 'x+y=z,w.v@u-t_s')).toMatch(/^held_[A-Za-z0-9_-]+$/);
  });

  it('GIVEN a string IAM would never produce WHEN named THEN it is an internal error', () => {
    expect(() => blockNameForUser('user', 'bad"name')).toThrow(InternalError);
    expect(() => blockNameForUser('user', '')).toThrow(InternalError);
  });
});

describe('escapeTemplate', () => {
  it('GIVEN template openers WHEN escaped THEN they are doubled and nothing else changes', () => {
    expect(escapeTemplate('cost ${x} and %{if y} 100% {ok} $5')).toBe('cost $${x} and %%{if y} 100% {ok} $5');
  });

  it('GIVEN nested data WHEN escaped deeply THEN keys and values are escaped, other types kept', () => {
    expect(escapeTemplateDeep({ 'k${': ['${a}', 3, true, null], n: { m: '%{b}' } })).toEqual({
      'k$${': ['$${a}', 3, true, null],
      n: { m: '%%{b}' },
    });
  });
});

describe('compareStrings', () => {
  it('GIVEN mixed case WHEN sorted THEN code-unit order is used (locale independent)', () => {
    expect(['b', 'B', 'a', 'A'].sort(compareStrings)).toEqual(['A', 'B', 'a', 'b']);
  });
});
