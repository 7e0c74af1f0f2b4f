import { confirmationQuestion } from '../../src/commands/apply';

const facts = { callerArn: 'arn:aws:iam::111122223333:user/ci', endpointOverrides: [] };

describe('confirmationQuestion', () => {
  it('GIVEN 4 actions and an alias WHEN asked THEN the count in the plural, the account id and the alias', () => {
    expect(confirmationQuestion(4, '111122223333', { ...facts, accountAlias: 'sandbox-prod' })).toBe(
      "Carry out these 4 actions in account 111122223333 (alias sandbox-prod)? Only 'yes' will be accepted:",
    );
  });

  it('GIVEN 1 action and an account without alias WHEN asked THEN "this action" and "(no alias)"', () => {
    expect(confirmationQuestion(1, '111122223333', { ...facts, accountAlias: null })).toBe(
      "Carry out this action in account 111122223333 (no alias)? Only 'yes' will be accepted:",
    );
  });

  it('GIVEN the alias was not read WHEN asked THEN the account id alone', () => {
    expect(confirmationQuestion(2, '111122223333', facts)).toBe(
      "Carry out these 2 actions in account 111122223333? Only 'yes' will be accepted:",
    );
  });
});
