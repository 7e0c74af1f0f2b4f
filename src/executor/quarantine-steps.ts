import { TagUserCommand, UpdateAccessKeyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { InternalError } from '../errors';
import {
  QUARANTINED_AT_TAG,
  QUARANTINE_POLICY_DOCUMENT,
  QUARANTINE_POLICY_NAME,
  QUARANTINE_REASON_TAG,
  toTagValue,
} from '../model/quarantine-marker';
import { DEACTIVATED_KEYS_TAG, deactivatedKeysTagValue } from './deactivated-keys';
import { LOGIN_PROFILE } from './dependents';
import { backupStep, recentKeyUseStep, recheckStep, removalStep } from './shared-steps';
import type { Step, StepContext } from './step';

//
// The steps act on the backup read too. A key or password added after that read is not touched, but
// the deny-all policy put right after the read already denies every call such a credential makes.

/** True when `document` is the deny-all policy (whatever its spacing); anything else is put again. */
function isQuarantinePolicyDocument(document: string): boolean {
  try {
    return JSON.stringify(JSON.parse(document)) === QUARANTINE_POLICY_DOCUMENT;
  } catch {
    return false;
  }
}

export const QUARANTINE_STEPS: readonly Step<StepContext>[] = [
  recheckStep,
  backupStep,
  // Quarantine drops the console password, which cannot come back: the same live check as delete.
  recentKeyUseStep,
  {
    id: 'put-deny-policy',
    description: `Put the inline deny-all policy "${QUARANTINE_POLICY_NAME}", unless the fresh read found it in place`,
    permissions: ['iam:PutUserPolicy'],
    async run({ iam, api, userName, live }) {
      if (!live || live.inlinePolicies.some((p) => p.name === QUARANTINE_POLICY_NAME && isQuarantinePolicyDocument(p.document))) return;
      await api.mutate(
        iam,
        new PutUserPolicyCommand({ UserName: userName, PolicyName: QUARANTINE_POLICY_NAME, PolicyDocument: QUARANTINE_POLICY_DOCUMENT }),
        { target: QUARANTINE_POLICY_NAME, alreadyDoneCodes: [] },
      );
    },
  },
  {
    id: 'deactivate-access-keys',
    description: `Deactivate every access key the fresh read found Active, then record their ids in the ${DEACTIVATED_KEYS_TAG} tag (release re-activates only those)`,
    permissions: ['iam:UpdateAccessKey', 'iam:TagUser'],
    async run({ iam, api, userName, live }) {
      if (!live) return;
      const deactivated: string[] = [];
      for (const key of live.accessKeys) {
        if (key.status !== 'Active') continue;
        const AccessKeyId = key.accessKeyId;
        const { outcome } = await api.mutate(iam, new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId, Status: 'Inactive' }), {
          target: AccessKeyId,
        });
        if (outcome === 'ok') deactivated.push(AccessKeyId);
      }
      if (deactivated.length === 0) return;
      // Written after the deactivation, not before: a crash in between loses the record, and release
      // then leaves those keys Inactive (fail safe) instead of re-activating a key someone disabled.
      const recorded = live.tags.find((t) => t.key === DEACTIVATED_KEYS_TAG)?.value;
      const value = deactivatedKeysTagValue(
        recorded,
        deactivated,
        live.accessKeys.map((k) => k.accessKeyId),
      );
      if (value === null) throw new InternalError(`the ids of the deactivated access keys of ${userName} do not fit in one tag value`);
      await api.mutate(iam, new TagUserCommand({ UserName: userName, Tags: [{ Key: DEACTIVATED_KEYS_TAG, Value: value }] }), {
        target: DEACTIVATED_KEYS_TAG,
        alreadyDoneCodes: [],
      });
    },
  },
  removalStep(LOGIN_PROFILE),
  {
    id: 'tag-quarantined',
    description: `Tag the user ${QUARANTINED_AT_TAG} and ${QUARANTINE_REASON_TAG}, unless the fresh read found both already`,
    permissions: ['iam:TagUser'],
    async run({ iam, api, userName, now, quarantineReason, live }) {
      if (!live) return;
      const current = new Map(live.tags.map((t) => [t.key, t.value]));
      // A re-run keeps the time of the first quarantine.
      const at = current.get(QUARANTINED_AT_TAG) ?? now().toISOString();
      const reason = toTagValue(quarantineReason);
      if (current.get(QUARANTINED_AT_TAG) === at && current.get(QUARANTINE_REASON_TAG) === reason) return;
      await api.mutate(
        iam,
        new TagUserCommand({
          UserName: userName,
          Tags: [
            { Key: QUARANTINED_AT_TAG, Value: at },
            { Key: QUARANTINE_REASON_TAG, Value: reason },
          ],
        }),
        { target: QUARANTINED_AT_TAG, alreadyDoneCodes: [] },
      );
    },
  },
];
