import type { UserActivity } from '../model/snapshot';
import type { UserAuthorization } from './authorization-details';
import type { CredentialReportEntry, ParsedCredentialReport } from './credential-report';

/** Activity when nothing could be read: unknown password state, no evidence of use. */
export const UNKNOWN_ACTIVITY: UserActivity = {
  passwordEnabled: null,
  passwordLastUsed: null,
  mfaActive: false,
  accessKeys: [],
  activeCertificates: 0,
};

/** The credential report rows, looked up by user name (IAM names are case-insensitive). */
export class CredentialReportIndex {
  private readonly byName = new Map<string, CredentialReportEntry>();

  constructor(report: ParsedCredentialReport) {
    for (const entry of report.users) this.byName.set(entry.userName.toLowerCase(), entry);
  }

  /**
   * The report row that describes THIS user, or null when the report cannot speak for it.
   * Rule: the row must exist and carry the same ARN and the same creation time (to the second).
   * A user created after the report was generated has no row; a user deleted and recreated under
   * the same name since then has a row that belongs to its predecessor. Both need direct reads.
   */
  rowFor(user: Pick<UserAuthorization, 'name' | 'arn' | 'createDate'>): CredentialReportEntry | null {
    const row = this.byName.get(user.name.toLowerCase());
    if (!row || row.arn !== user.arn) return null;
    if (row.userCreationTime === null || !sameSecond(row.userCreationTime, user.createDate)) return null;
    return row;
  }
}

function sameSecond(a: string, b: string): boolean {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return !Number.isNaN(ta) && !Number.isNaN(tb) && Math.floor(ta / 1000) === Math.floor(tb / 1000);
}
