import { optionsFromEnvironment } from '../../src/construct/environment';

describe('optionsFromEnvironment', () => {
  it('GIVEN every variable set WHEN read THEN each becomes its option', () => {
    expect(
      optionsFromEnvironment({
        IAM_ALLOWLIST_FILE: 'accounts/prod.yaml',
        IAM_ALLOWLIST_SNAPSHOT: 'snap.json',
        IAM_ALLOWLIST_PREVIOUS_STATE: 'state.json',
        IAM_ALLOWLIST_ASSUME_ROLE: 'arn:aws:iam::111122223333:role/r',
        IAM_ALLOWLIST_MANAGE_USERS: '1',
      }),
    ).toEqual({
      allowlistFile: 'accounts/prod.yaml',
      snapshotFile: 'snap.json',
      previousStateFile: 'state.json',
      assumeRoleArn: 'arn:aws:iam::111122223333:role/r',
      manageDeclaredUsers: true,
    });
  });

  it('GIVEN nothing set, or set to empty WHEN read THEN no option is given, so the documented defaults apply', () => {
    expect(optionsFromEnvironment({})).toEqual({});
    expect(optionsFromEnvironment({ IAM_ALLOWLIST_FILE: '', IAM_ALLOWLIST_ASSUME_ROLE: '', IAM_ALLOWLIST_MANAGE_USERS: '0' })).toEqual({});
  });
});
