import { CredentialReportFormatError, parseCredentialReport } from '../../src/inventory/credential-report';

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,' +
  'mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,' +
  'access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,' +
  'access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

const ROOT_ROW =
  '<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,2025-06-01T10:00:00+00:00,' +
  'not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';

function report(...rows: string[]): string {
  return [HEADER, ...rows].join('\n') + '\n';
}

describe('parseCredentialReport', () => {
  it('GIVEN a user with a used password, MFA and two keys WHEN parsed THEN every field is read and dates are UTC ISO', () => {
    const csv = report(
      'alice,arn:aws:iam::111122223333:user/engineering/alice,2024-01-02T03:04:05+00:00,true,2025-06-01T10:00:00+00:00,' +
        '2024-01-02T03:04:05+00:00,N/A,true,true,2024-02-01T00:00:00+00:00,2025-06-02T11:00:00+00:00,us-east-1,s3,' +
        'false,2024-03-01T00:00:00+00:00,N/A,N/A,N/A,true,2024-01-05T00:00:00+00:00,false,N/A',
    );

    const parsed = parseCredentialReport(csv);

    expect(parsed.users).toHaveLength(1);
    expect(parsed.users[0]).toEqual({
      userName: 'alice',
      arn: 'arn:aws:iam::111122223333:user/engineering/alice',
      userCreationTime: '2024-01-02T03:04:05.000Z',
      activity: {
        passwordEnabled: true,
        passwordLastUsed: '2025-06-01T10:00:00.000Z',
        mfaActive: true,
        accessKeys: [
          {
            accessKeyId: null,
            active: true,
            lastRotated: '2024-02-01T00:00:00.000Z',
            lastUsed: '2025-06-02T11:00:00.000Z',
            lastUsedService: 's3',
          },
          { accessKeyId: null, active: false, lastRotated: '2024-03-01T00:00:00.000Z', lastUsed: null, lastUsedService: null },
        ],
        activeCertificates: 1,
      },
    });
  });

  it('GIVEN password_last_used "no_information" and "N/A" WHEN parsed THEN both read as null (never used / unknown)', () => {
    const csv = report(
      'never,arn:aws:iam::111122223333:user/never,2024-01-02T03:04:05+00:00,true,no_information,2024-01-02T03:04:05+00:00,N/A,' +
        'false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
      'nopass,arn:aws:iam::111122223333:user/nopass,2024-01-02T03:04:05+00:00,false,N/A,N/A,N/A,' +
        'false,true,2024-01-03T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    );

    const [never, nopass] = parseCredentialReport(csv).users;

    expect(never?.activity.passwordEnabled).toBe(true);
    expect(never?.activity.passwordLastUsed).toBeNull();
    expect(never?.activity.accessKeys).toEqual([]);
    expect(nopass?.activity.passwordEnabled).toBe(false);
    expect(nopass?.activity.passwordLastUsed).toBeNull();
    expect(nopass?.activity.accessKeys).toEqual([
      { accessKeyId: null, active: true, lastRotated: '2024-01-03T00:00:00.000Z', lastUsed: null, lastUsedService: null },
    ]);
  });

  it('GIVEN the <root_account> row with not_supported values WHEN parsed THEN it is kept apart from the users', () => {
    const csv = report(
      ROOT_ROW,
      'bob,arn:aws:iam::111122223333:user/bob,2024-01-02T03:04:05+00:00,true,2025-01-01T00:00:00+00:00,N/A,N/A,' +
        'false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    );

    const parsed = parseCredentialReport(csv);

    expect(parsed.users.map((u) => u.userName)).toEqual(['bob']);
    expect(parsed.rootAccount?.arn).toBe('arn:aws:iam::111122223333:root');
    expect(parsed.rootAccount?.activity.passwordEnabled).toBeNull();
    expect(parsed.rootAccount?.activity.mfaActive).toBe(true);
    expect(parsed.rootAccount?.activity.passwordLastUsed).toBe('2025-06-01T10:00:00.000Z');
  });

  it('GIVEN TRUE/FALSE in upper case and CRLF line ends WHEN parsed THEN they read as booleans', () => {
    const csv = [
      HEADER,
      'carol,arn:aws:iam::111122223333:user/carol,2024-01-02T03:04:05+00:00,TRUE,N/A,N/A,N/A,TRUE,FALSE,N/A,N/A,N/A,N/A,' +
        'FALSE,N/A,N/A,N/A,N/A,FALSE,N/A,TRUE,2024-01-02T03:04:05+00:00',
    ].join('\r\n');

    const [carol] = parseCredentialReport(csv).users;

    expect(carol?.activity.passwordEnabled).toBe(true);
    expect(carol?.activity.mfaActive).toBe(true);
    expect(carol?.activity.activeCertificates).toBe(1);
  });

  it('GIVEN an extra column AWS might add WHEN parsed THEN it is ignored', () => {
    const csv =
      `${HEADER},some_future_column\n` +
      'dave,arn:aws:iam::111122223333:user/dave,2024-01-02T03:04:05+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,' +
      'false,N/A,N/A,N/A,N/A,false,N/A,false,N/A,whatever\n';

    expect(parseCredentialReport(csv).users.map((u) => u.userName)).toEqual(['dave']);
  });

  it('GIVEN a header without a required column WHEN parsed THEN a CredentialReportFormatError names it', () => {
    const csv = HEADER.replace(',mfa_active', '') + '\n';

    expect(() => parseCredentialReport(csv)).toThrow(CredentialReportFormatError);
    expect(() => parseCredentialReport(csv)).toThrow(/mfa_active/);
  });

  it('GIVEN an unreadable date WHEN parsed THEN it fails instead of reading the user as unused', () => {
    const csv = report(
      'eve,arn:aws:iam::111122223333:user/eve,2024-01-02T03:04:05+00:00,true,yesterday,N/A,N/A,' +
        'false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    );

    expect(() => parseCredentialReport(csv)).toThrow(/eve.*yesterday/);
  });

  it('GIVEN an unreadable boolean WHEN parsed THEN it fails', () => {
    const csv = report(
      'eve,arn:aws:iam::111122223333:user/eve,2024-01-02T03:04:05+00:00,maybe,N/A,N/A,N/A,' +
        'false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    );

    expect(() => parseCredentialReport(csv)).toThrow(CredentialReportFormatError);
  });

  it('GIVEN an empty text WHEN parsed THEN it fails (a report always has a header)', () => {
    expect(() => parseCredentialReport('')).toThrow(CredentialReportFormatError);
  });
});
