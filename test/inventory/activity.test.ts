import { CredentialReportIndex } from '../../src/inventory/activity';
import type { CredentialReportEntry } from '../../src/inventory/credential-report';

const ACTIVITY = { passwordEnabled: true, passwordLastUsed: null, mfaActive: false, accessKeys: [], activeCertificates: 0 };

function entry(userName: string, arn: string, userCreationTime: string | null): CredentialReportEntry {
  return { userName, arn, userCreationTime, activity: ACTIVITY };
}

describe('CredentialReportIndex.rowFor', () => {
  const arn = 'arn:aws:iam::111122223333:user/engineering/alice';
  const index = new CredentialReportIndex({
    users: [entry('alice', arn, '2024-01-02T03:04:05.000Z')],
    rootAccount: null,
  });

  it('GIVEN a row with the same ARN and creation time WHEN looked up THEN the row speaks for the user', () => {
    expect(index.rowFor({ name: 'alice', arn, createDate: '2024-01-02T03:04:05.000Z' })?.activity).toBe(ACTIVITY);
  });

  it('GIVEN the user name in another case WHEN looked up THEN IAM case-insensitivity finds the row', () => {
    expect(index.rowFor({ name: 'ALICE', arn, createDate: '2024-01-02T03:04:05.000Z' })).not.toBeNull();
  });

  it('GIVEN a creation time differing only in milliseconds WHEN looked up THEN it still matches (report has seconds)', () => {
    expect(index.rowFor({ name: 'alice', arn, createDate: '2024-01-02T03:04:05.789Z' })).not.toBeNull();
  });

  it('GIVEN a user created after the report WHEN looked up THEN null (needs direct reads)', () => {
    expect(
      index.rowFor({ name: 'newcomer', arn: 'arn:aws:iam::111122223333:user/newcomer', createDate: '2025-01-01T00:00:00Z' }),
    ).toBeNull();
  });

  it('GIVEN a user recreated under the same name since the report WHEN looked up THEN the old row is not used', () => {
    expect(index.rowFor({ name: 'alice', arn, createDate: '2025-03-01T00:00:00.000Z' })).toBeNull();
  });

  it('GIVEN a user moved to another path WHEN looked up THEN the row (other ARN) is not used', () => {
    expect(index.rowFor({ name: 'alice', arn: 'arn:aws:iam::111122223333:user/alice', createDate: '2024-01-02T03:04:05.000Z' })).toBeNull();
  });
});
