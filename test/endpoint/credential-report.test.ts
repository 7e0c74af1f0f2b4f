import { GenerateCredentialReportCommand, GetCredentialReportCommand } from '@aws-sdk/client-iam';
import { parse } from 'csv-parse/sync';
import { CREDENTIAL_REPORT_COLUMNS } from '../../src/endpoint/iam/credentialReport';
import { failureOf, useIamEndpoint } from './helpers';

const HOUR = 60 * 60 * 1000;

describe('credential report', () => {
  let clock: number;
  const ctx = useIamEndpoint(({ ep }) => {
    clock = Date.parse('2026-03-01T12:00:00Z');
    ep.state.now = () => new Date(clock);
  });

  async function reportRows(): Promise<Record<string, string>[]> {
    const report = await ctx.iam.send(new GetCredentialReportCommand({}));
    expect(report.ReportFormat).toBe('text/csv');
    return parse(Buffer.from(report.Content ?? new Uint8Array()).toString('utf8'), { columns: true }) as Record<string, string>[];
  }

  test('GIVEN no report WHEN GetCredentialReport THEN ReportNotPresent 410', async () => {
    expect(await failureOf(ctx.iam.send(new GetCredentialReportCommand({})))).toMatchObject({
      name: 'CredentialReportNotPresentException',
      status: 410,
    });
  });

  test('GIVEN a slow generation WHEN polled THEN STARTED, INPROGRESS (Get: ReportInProgress 404), then COMPLETE', async () => {
    ctx.ep.state.iam.credentialReportDelayMs = 10_000;
    expect((await ctx.iam.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
    expect((await ctx.iam.send(new GenerateCredentialReportCommand({}))).State).toBe('INPROGRESS');
    expect(await failureOf(ctx.iam.send(new GetCredentialReportCommand({})))).toMatchObject({
      name: 'CredentialReportNotReadyException',
      status: 404,
    });
    clock += 10_000;
    expect((await ctx.iam.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
    const report = await ctx.iam.send(new GetCredentialReportCommand({}));
    expect(report.GeneratedTime).toEqual(new Date('2026-03-01T12:00:00Z'));
  });

  test('GIVEN users with and without credentials WHEN the report is read THEN columns and N/A / no_information values match AWS', async () => {
    const s = ctx.ep.state.iam;
    s.createUser({ name: 'pw-never', createDate: new Date('2025-01-01T00:00:00Z') });
    s.createLoginProfile('pw-never');
    s.createUser({ name: 'keys' });
    s.createAccessKey('keys', {
      createDate: new Date('2025-06-01T00:00:00Z'),
      lastUsed: { date: new Date('2026-02-01T10:00:00Z'), serviceName: 's3', region: 'eu-west-1' },
    });
    s.createAccessKey('keys', { createDate: new Date('2025-07-01T00:00:00Z'), status: 'Inactive' });
    s.createUser({ name: 'gone-pw' });
    s.setActivity('gone-pw', { passwordLastUsed: new Date('2025-12-24T08:00:00Z') });
    s.enableVirtualMfa('keys');
    s.uploadSigningCertificate('keys');
    await ctx.iam.send(new GenerateCredentialReportCommand({}));
    const rows = await reportRows();
    expect(Object.keys(rows[0])).toEqual([...CREDENTIAL_REPORT_COLUMNS]);
    const byUser = Object.fromEntries(rows.map((r) => [r.user, r]));
    expect(byUser['<root_account>']).toMatchObject({
      arn: 'arn:aws:iam::111122223333:root',
      password_enabled: 'not_supported',
      password_last_changed: 'not_supported',
      access_key_1_active: 'false',
      access_key_1_last_rotated: 'N/A',
    });
    expect(byUser['pw-never']).toMatchObject({
      password_enabled: 'true',
      password_last_used: 'no_information',
      user_creation_time: '2025-01-01T00:00:00+00:00',
      mfa_active: 'false',
      access_key_1_active: 'false',
      access_key_1_last_used_date: 'N/A',
    });
    expect(byUser.keys).toMatchObject({
      password_enabled: 'false',
      password_last_used: 'N/A',
      mfa_active: 'true',
      access_key_1_active: 'true',
      access_key_1_last_rotated: '2025-06-01T00:00:00+00:00',
      access_key_1_last_used_date: '2026-02-01T10:00:00+00:00',
      access_key_1_last_used_region: 'eu-west-1',
      access_key_1_last_used_service: 's3',
      access_key_2_active: 'false',
      access_key_2_last_used_date: 'N/A',
      cert_1_active: 'true',
      cert_2_active: 'false',
    });
    // PasswordLastUsed survives the deletion of the login profile.
    expect(byUser['gone-pw']).toMatchObject({ password_enabled: 'false', password_last_used: '2025-12-24T08:00:00+00:00' });
  });

  test('GIVEN a report WHEN users change within 4 hours THEN the same report is served; after 4 hours it has expired and a new one is generated', async () => {
    await ctx.iam.send(new GenerateCredentialReportCommand({}));
    ctx.ep.state.iam.createUser({ name: 'late' });
    clock += HOUR;
    expect((await ctx.iam.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
    expect((await reportRows()).map((r) => r.user)).not.toContain('late');
    clock += 3 * HOUR;
    expect(await failureOf(ctx.iam.send(new GetCredentialReportCommand({})))).toMatchObject({
      name: 'CredentialReportExpiredException',
      status: 410,
    });
    expect((await ctx.iam.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
    expect((await reportRows()).map((r) => r.user)).toContain('late');
  });
});
