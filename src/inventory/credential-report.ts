import { parse } from 'csv-parse/sync';
import type { AccessKeyActivity, UserActivity } from '../model/snapshot';

/** The name AWS gives the account root's row in the credential report. */
export const ROOT_ACCOUNT_ROW = '<root_account>';

/** The columns this tool reads; AWS may add more, which are ignored. */
const REQUIRED_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_2_active',
] as const;

/**
 * Placeholder values AWS writes instead of data: "N/A" (not applicable: no password, key never used),
 * "no_information" (password never used, or used before AWS tracked it), "not_supported" (root row).
 */
const NO_VALUE = new Set(['n/a', 'no_information', 'not_supported', '']);

/** The credential report does not have the shape AWS documents; its data cannot be trusted. */
export class CredentialReportFormatError extends Error {
  override readonly name = 'CredentialReportFormatError';
}

export interface CredentialReportEntry {
  readonly userName: string;
  readonly arn: string;
  /** ISO time; null only on rows where AWS does not say (never for IAM users in practice). */
  readonly userCreationTime: string | null;
  readonly activity: UserActivity;
}

export interface ParsedCredentialReport {
  /** IAM user rows, in report order. */
  readonly users: readonly CredentialReportEntry[];
  /** The "<root_account>" row, when present. */
  readonly rootAccount: CredentialReportEntry | null;
}

type Row = Readonly<Record<string, string>>;

/** Parses the CSV text of GetCredentialReport (already base64-decoded). Throws CredentialReportFormatError. */
export function parseCredentialReport(csvText: string): ParsedCredentialReport {
  let records: Row[];
  let columns = new Set<string>();
  try {
    records = parse(csvText, {
      columns: (header: string[]) => {
        columns = new Set(header);
        return header;
      },
      skip_empty_lines: true,
      trim: true,
    }) as Row[];
  } catch (err) {
    throw new CredentialReportFormatError(`credential report is not valid CSV: ${(err as Error).message}`);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.has(c));
  if (missing.length > 0) {
    throw new CredentialReportFormatError(`credential report lacks column(s): ${missing.join(', ')}`);
  }

  const users: CredentialReportEntry[] = [];
  let rootAccount: CredentialReportEntry | null = null;
  records.forEach((row, index) => {
    const entry = parseRow(row, index + 2);
    if (entry.userName === ROOT_ACCOUNT_ROW) rootAccount = entry;
    else users.push(entry);
  });
  return { users, rootAccount };
}

function parseRow(row: Row, line: number): CredentialReportEntry {
  const field = (column: string): string => row[column] ?? '';
  const userName = field('user');
  if (userName === '') throw new CredentialReportFormatError(`credential report line ${line}: empty user`);
  const where = `credential report line ${line} (${userName})`;

  const accessKeys: AccessKeyActivity[] = [];
  for (const slot of [1, 2]) {
    const active = booleanValue(field(`access_key_${slot}_active`), where) ?? false;
    const lastRotated = dateValue(field(`access_key_${slot}_last_rotated`), where);
    const lastUsed = dateValue(field(`access_key_${slot}_last_used_date`), where);
    // A slot with neither an active key nor any date holds no key at all.
    if (!active && lastRotated === null && lastUsed === null) continue;
    accessKeys.push({
      accessKeyId: null,
      active,
      lastRotated,
      lastUsed,
      lastUsedService: textValue(field(`access_key_${slot}_last_used_service`)),
    });
  }

  const activeCertificates = [1, 2].filter((slot) => booleanValue(field(`cert_${slot}_active`), where) === true).length;

  return {
    userName,
    arn: field('arn'),
    userCreationTime: dateValue(field('user_creation_time'), where),
    activity: {
      passwordEnabled: booleanValue(field('password_enabled'), where),
      passwordLastUsed: dateValue(field('password_last_used'), where),
      mfaActive: booleanValue(field('mfa_active'), where) ?? false,
      accessKeys,
      activeCertificates,
    },
  };
}

/** true/false (any case); null for a placeholder such as the root row's "not_supported". */
function booleanValue(value: string, where: string): boolean | null {
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (NO_VALUE.has(lower)) return null;
  throw new CredentialReportFormatError(`${where}: expected true/false, got "${value}"`);
}

/** An ISO time normalised to UTC ("…Z"); null for a placeholder. */
function dateValue(value: string, where: string): string | null {
  if (NO_VALUE.has(value.toLowerCase())) return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new CredentialReportFormatError(`${where}: expected a date, got "${value}"`);
  return new Date(time).toISOString();
}

function textValue(value: string): string | null {
  return NO_VALUE.has(value.toLowerCase()) ? null : value;
}
