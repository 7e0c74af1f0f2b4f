import { QUARANTINED_AT_TAG, QUARANTINE_POLICY_NAME } from '../../model/quarantine-marker';
import { quarantineGaps, quarantineMark } from './quarantine-state';
import type { OutcomeRule } from './types';

/**
 * A quarantine that did not finish, or that no longer holds (see quarantineGaps), is not treated as done:
 * a warning only, the decision stands, so an intended quarantine is planned again and finishes.
 */
export const quarantineIncomplete: OutcomeRule<'quarantine-incomplete'> = {
  id: 'quarantine-incomplete',
  category: 'hygiene',
  scope: 'user',
  stage: 'outcome',
  severity: 'warning',
  subject: 'quarantine',
  description:
    'the user carries only part of a quarantine by this tool (deny policy or quarantined-at tag missing), or a quarantine ' +
    'that no longer holds (the marker policy is not the deny-all, or a key or the password is active again)',
  evaluate: (ctx, user, outcome) => {
    const mark = quarantineMark(user);
    if (mark === null) return [];
    if (!mark.denyPolicy) {
      return [
        {
          message:
            `tagged ${QUARANTINED_AT_TAG}=${mark.since ?? ''} but the deny policy ${QUARANTINE_POLICY_NAME} is missing: ` +
            'a release did not finish, or the policy was removed by hand',
        },
      ];
    }
    if (mark.since === null) {
      const release = `run \`iam-allowlist release --user ${user.name}\` to lift it`;
      const next = outcome === 'quarantine' ? 'it is quarantined again to finish' : release;
      return [
        {
          message:
            `the deny policy ${QUARANTINE_POLICY_NAME} is attached but the ${QUARANTINED_AT_TAG} tag is missing: ` +
            `the quarantine did not finish; ${next}`,
        },
      ];
    }
    const gaps = quarantineGaps(user, mark.since, ctx.snapshot.credentialReportGeneratedAt);
    if (gaps.length === 0) return [];
    return [
      {
        message:
          `carries ${QUARANTINE_POLICY_NAME} and ${QUARANTINED_AT_TAG}=${mark.since}, but ${gaps.join('; ')}: ` +
          (outcome === 'quarantine' ? 'not a complete quarantine; it is quarantined again' : 'not treated as quarantined'),
      },
    ];
  },
};
