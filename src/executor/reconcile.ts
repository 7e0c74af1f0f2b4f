import type { IAMClient } from '@aws-sdk/client-iam';
import { ApiCaller, type DeclaredStep, type RetryOptions } from './api-calls';
import type { AuditIntentEntry, AuditLog } from './audit';
import { readLiveUser, READ_USER_PERMISSIONS, type LiveUserDetails } from './read-user';

/** Reads, before any change, the users an earlier run left a pending intent for (every action starts with it). */
export const RECONCILE_STEP: DeclaredStep = { id: 'reconcile', permissions: READ_USER_PERMISSIONS };

/** Every identifier a live read holds that a mutating call may name as its target. */
function liveTargets(live: LiveUserDetails): Set<string> {
  return new Set([
    ...live.tags.map((t) => t.key),
    ...(live.permissionsBoundaryArn ? [live.permissionsBoundaryArn] : []),
    ...live.groups.map((g) => g.toLowerCase()),
    ...live.inlinePolicies.map((p) => p.name),
    ...live.attachedPolicyArns,
    ...live.accessKeys.map((k) => k.accessKeyId),
    ...live.mfaDevices.map((m) => m.serialNumber),
    ...live.sshPublicKeys.map((k) => k.sshPublicKeyId),
    ...live.signingCertificates.map((c) => c.certificateId),
    ...live.serviceSpecificCredentials.map((c) => c.serviceSpecificCredentialId),
  ]);
}

/** What the live read says about the thing a pending intent acted on. */
export function liveStateOf(intent: AuditIntentEntry, live: LiveUserDetails | null): { state: string; words: string } {
  if (!live) return { state: 'user-absent', words: `user ${intent.user} does not exist` };
  if (intent.userId && live.userId !== intent.userId) {
    return { state: 'user-recreated', words: `user ${intent.user} exists with another UserId ${live.userId} (was ${intent.userId})` };
  }
  if (intent.operation === 'DeleteLoginProfile') {
    return live.loginProfile.present
      ? { state: 'target-present', words: 'the console password is still there' }
      : { state: 'target-absent', words: 'the console password is gone' };
  }
  if (!intent.target) return { state: 'user-present', words: `user ${intent.user} still exists (${live.userId})` };
  const targets = intent.target.split(',');
  const present = liveTargets(live);
  const there = targets.filter((t) => present.has(t) || present.has(t.toLowerCase()));
  const status = live.accessKeys.find((k) => k.accessKeyId === intent.target)?.status;
  if (there.length === 0) return { state: 'target-absent', words: `${intent.target} is no longer on ${intent.user}` };
  return { state: 'target-present', words: `${intent.target} is still on ${intent.user}${status ? ` (${status})` : ''}` };
}

/**
 * A run that stopped between sending a call and recording its answer (a crash, SIGKILL) left an
 * intent without outcome. Before this run's first change, reads the live state of each such user in
 * this account and records what it found, so the log says what happened; the idempotent steps of
 * the run then finish whatever the call left undone. Returns one line per reconciled intent.
 */
export async function reconcilePendingIntents(audit: AuditLog, iam: IAMClient, accountId: string, retry?: RetryOptions): Promise<string[]> {
  audit.open();
  const notes: string[] = [];
  const byUser = new Map<string, LiveUserDetails | null>();
  for (const intent of audit.pendingIntents().filter((p) => p.account === accountId)) {
    const key = intent.user.toLowerCase();
    if (!byUser.has(key)) {
      const api = new ApiCaller(audit, { account: accountId, user: intent.user, userId: intent.userId }, retry);
      api.beginStep(RECONCILE_STEP);
      byUser.set(key, await readLiveUser(iam, api, intent.user));
    }
    const { state, words } = liveStateOf(intent, byUser.get(key) ?? null);
    const note =
      `an earlier run (${intent.runId}) stopped after sending ${intent.operation}${intent.target ? ` (${intent.target})` : ''} ` +
      `for ${intent.user} at ${intent.time} without recording its answer; live now: ${words}`;
    audit.reconciled(intent, state, note);
    notes.push(note);
  }
  return notes;
}
