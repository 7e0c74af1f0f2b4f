/** The marks quarantine leaves on a user, shared by the quarantine, release and backup code. */

export const QUARANTINE_POLICY_NAME = 'iam-allowlist-quarantine';

export const QUARANTINE_POLICY_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
});

export const QUARANTINED_AT_TAG = 'iam-allowlist:quarantined-at';
export const QUARANTINE_REASON_TAG = 'iam-allowlist:reason';
export const QUARANTINE_TAG_KEYS: readonly string[] = [QUARANTINED_AT_TAG, QUARANTINE_REASON_TAG];

/**
 * IAM tag values allow letters, digits, spaces and _.:/=+-@ up to 256 characters. Separators IAM refuses
 * (`,` `;` and an opening parenthesis) become " - " rather than vanishing, so "ago (limit 90)" reads back as
 * "ago - limit 90", not "ago limit 90" (the plan shows the tag as the quarantine's reason).
 */
export function toTagValue(text: string): string {
  return text
    .replace(/\s*[,;(]\s*/g, ' - ')
    .replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, ' ')
    .replace(/\s+/g, ' ')
    .replace(/( - )+/g, ' - ')
    .replace(/^( ?- )+|( -)+ ?$/g, '')
    .trim()
    .slice(0, 256);
}
