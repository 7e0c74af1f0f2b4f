import { ServiceError } from '../errors';
import type { IamUser } from './model';
import { IamOperationTable, reader } from './operation';
import type { IamState } from './store';

/** IAM regenerates the report at most every four hours; an older one has expired. */
export const REPORT_MAX_AGE_MS = 4 * 60 * 60 * 1000;

/** AWS's columns, in AWS's order. */
export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

/** The report's time format: ISO 8601 with an explicit +00:00 offset and no milliseconds. */
function reportTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function userRow(iam: IamState, user: IamUser): string[] {
  const userKey = user.name.toLowerCase();
  let mfaActive = false;
  for (const device of iam.mfaDevices.values()) if (device.userKey === userKey) mfaActive = true;
  const passwordLastUsed = user.passwordLastUsed ? reportTime(user.passwordLastUsed) : user.loginProfile ? 'no_information' : 'N/A';
  const keys = [...user.accessKeys].sort((a, b) => a.createDate.getTime() - b.createDate.getTime());
  const keyColumns = [0, 1].flatMap((i) => {
    const key = keys[i];
    if (!key) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
    return [
      String(key.status === 'Active'),
      reportTime(key.createDate),
      key.lastUsed ? reportTime(key.lastUsed.date) : 'N/A',
      key.lastUsed ? key.lastUsed.region : 'N/A',
      key.lastUsed ? key.lastUsed.serviceName : 'N/A',
    ];
  });
  const certs = [...user.signingCertificates].sort((a, b) => a.uploadDate.getTime() - b.uploadDate.getTime());
  const certColumns = [0, 1].flatMap((i) => {
    const cert = certs[i];
    return cert ? [String(cert.status === 'Active'), reportTime(cert.uploadDate)] : ['false', 'N/A'];
  });
  return [
    user.name,
    user.arn,
    reportTime(user.createDate),
    String(user.loginProfile !== undefined),
    passwordLastUsed,
    user.loginProfile ? reportTime(user.loginProfile.createDate) : 'N/A',
    'N/A',
    String(mfaActive),
    ...keyColumns,
    ...certColumns,
  ];
}

function rootRow(iam: IamState): string[] {
  return [
    '<root_account>',
    `arn:aws:iam::${iam.accountId}:root`,
    reportTime(iam.accountCreateDate),
    'not_supported',
    iam.rootPasswordLastUsed ? reportTime(iam.rootPasswordLastUsed) : 'no_information',
    'not_supported',
    'not_supported',
    String(iam.rootMfaActive),
    'false',
    'N/A',
    'N/A',
    'N/A',
    'N/A',
    'false',
    'N/A',
    'N/A',
    'N/A',
    'N/A',
    'false',
    'N/A',
    'false',
    'N/A',
  ];
}

export function buildCredentialReportCsv(iam: IamState): string {
  const rows = [CREDENTIAL_REPORT_COLUMNS as readonly string[], rootRow(iam), ...iam.sortedUsers().map((u) => userRow(iam, u))];
  return rows.map((row) => row.map(csvField).join(',')).join('\n');
}

export const credentialReportOperations: IamOperationTable = {
  // Generating the report changes no identity or permission, and AWS grants it to read-only
  // callers (ReadOnlyAccess and SecurityAudit include iam:GenerateCredentialReport).
  GenerateCredentialReport: reader((iam) => {
    const now = iam.now();
    const report = iam.credentialReport;
    if (report && now.getTime() - report.generatedAt.getTime() < REPORT_MAX_AGE_MS) {
      return now < report.readyAt ? { State: 'INPROGRESS', Description: 'Report generation in progress' } : { State: 'COMPLETE' };
    }
    iam.credentialReport = {
      generatedAt: now,
      readyAt: new Date(now.getTime() + iam.credentialReportDelayMs),
      csv: buildCredentialReportCsv(iam),
    };
    return { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' };
  }),
  GetCredentialReport: reader((iam) => {
    const report = iam.credentialReport;
    const now = iam.now();
    if (!report) throw new ServiceError('ReportNotPresent', 'Credential report not present. Call GenerateCredentialReport first.', 410);
    if (now < report.readyAt) throw new ServiceError('ReportInProgress', 'Credential report generation is in progress.', 404);
    if (now.getTime() - report.generatedAt.getTime() >= REPORT_MAX_AGE_MS) {
      throw new ServiceError('ReportExpired', 'The most recent credential report has expired. Call GenerateCredentialReport.', 410);
    }
    return { Content: Buffer.from(report.csv, 'utf8').toString('base64'), ReportFormat: 'text/csv', GeneratedTime: report.generatedAt };
  }),
};
