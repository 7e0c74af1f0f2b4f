/** recheckAction: the apply-time comparison of a planned action with a fresh plan. */
import type { PlannedAction } from '../../src/model/plan';
import { plan } from '../../src/plan/plan';
import { recheckAction } from '../../src/plan/recheck';
import { aKey, aKmsKey, anAllowlist, aScanError, aSnapshot, aUser, daysAgo, NOW, policyWith } from './fixtures';

const stale = aUser({ name: 'stale', activity: { accessKeys: [aKey({ lastUsed: daysAgo(100) })] } });
const action: PlannedAction = { action: 'delete', userName: 'stale', userId: stale.userId, arn: stale.arn };

describe('recheckAction', () => {
  it('GIVEN nothing changed WHEN rechecked THEN ok', () => {
    expect(recheckAction(action, plan(aSnapshot({ users: [stale] }), anAllowlist(), NOW))).toEqual({ ok: true });
  });

  it('GIVEN the user is gone WHEN rechecked THEN refused', () => {
    const result = recheckAction(action, plan(aSnapshot(), anAllowlist(), NOW));
    expect(result).toEqual({ ok: false, reasons: ['user stale no longer exists'] });
  });

  it('GIVEN a user of that name with another UserId WHEN rechecked THEN refused as recreated', () => {
    const recreated = { ...stale, userId: 'AIDARECREATEDXXXXXXX' };
    const result = recheckAction(action, plan(aSnapshot({ users: [recreated] }), anAllowlist(), NOW));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reasons[0]).toContain('recreated');
  });

  it('GIVEN the user is now declared WHEN rechecked THEN refused: the plan decides keep', () => {
    const allowlist = anAllowlist({ users: [...anAllowlist().users, { ...anAllowlist().users[0]!, name: 'stale' }] });
    const result = recheckAction(action, plan(aSnapshot({ users: [stale] }), allowlist, NOW));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reasons.join(' ')).toContain('now decides keep');
  });

  it('GIVEN a KMS reference appeared since planning WHEN rechecked THEN refused with the guard', () => {
    const key = aKmsKey({ policy: policyWith({ Effect: 'Allow', Principal: { AWS: stale.arn }, Action: 'kms:Decrypt', Resource: '*' }) });
    const result = recheckAction(action, plan(aSnapshot({ users: [stale], keys: [key] }), anAllowlist({ guards: { kms: 'hold' } }), NOW));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reasons.join(' ')).toContain('guard kms-key-policy');
  });

  it('GIVEN a run-level guard fires now (scan error) WHEN rechecked THEN refused', () => {
    const result = recheckAction(action, plan(aSnapshot({ users: [stale], scanErrors: [aScanError()] }), anAllowlist(), NOW));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reasons.join(' ')).toContain('scan-incomplete');
  });

  it('GIVEN another user blocks the run (KMS block mode) WHEN rechecked THEN refused', () => {
    const other = aUser({ name: 'other', activity: { accessKeys: [aKey({ lastUsed: daysAgo(100) })] } });
    const key = aKmsKey({ policy: policyWith({ Effect: 'Allow', Principal: { AWS: other.arn }, Action: 'kms:Decrypt', Resource: '*' }) });
    const result = recheckAction(action, plan(aSnapshot({ users: [stale, other], keys: [key] }), anAllowlist(), NOW));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reasons.join(' ')).toContain('run blocked by kms-key-policy');
  });

  it('GIVEN recently-active in quarantine mode turned the delete into a quarantine WHEN the quarantine is rechecked THEN ok', () => {
    const active = aUser({ name: 'active', activity: { accessKeys: [aKey({ lastUsed: daysAgo(1) })] } });
    const fresh = plan(aSnapshot({ users: [active] }), anAllowlist({ guards: { recentlyActive: 'quarantine' } }), NOW);
    const quarantine: PlannedAction = { action: 'quarantine', userName: 'active', userId: active.userId, arn: active.arn };
    expect(recheckAction(quarantine, fresh)).toEqual({ ok: true });
    expect(recheckAction({ ...quarantine, action: 'delete' }, fresh).ok).toBe(false);
  });
});
