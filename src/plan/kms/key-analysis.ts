import type { UserFacts } from '../../model/snapshot';
import { userIdentity, type PlanContext, type ParsedKey } from '../context';
import { policyReferences, type StatementReference } from '../../policy/principal';
import { soleAdministrator, type SoleAdminResult } from './sole-admin';

/** How one key policy relates to one user. */
export interface KeyPolicyAnalysis {
  readonly parsed: ParsedKey;
  readonly references: readonly StatementReference[];
  readonly soleAdmin: SoleAdminResult;
}

const cache = new WeakMap<PlanContext, WeakMap<UserFacts, readonly KeyPolicyAnalysis[]>>();

/**
 * The key policies (readable ones) that reference the user, with the sole-administrator verdict.
 * Computed once per (plan, user) and shared by the kms-key-policy and kms-sole-admin guards.
 */
export function analyseKeyPolicies(ctx: PlanContext, user: UserFacts): readonly KeyPolicyAnalysis[] {
  let perUser = cache.get(ctx);
  if (perUser === undefined) {
    perUser = new WeakMap();
    cache.set(ctx, perUser);
  }
  const cached = perUser.get(user);
  if (cached !== undefined) return cached;
  const who = userIdentity(user);
  const accountId = ctx.snapshot.accountId;
  let others: ReturnType<typeof userIdentity>[] | null = null;
  const analyses: KeyPolicyAnalysis[] = [];
  for (const parsed of ctx.keys) {
    if (parsed.statements === null || parsed.userStatements.length === 0) continue;
    const references = policyReferences(parsed.userStatements, who, accountId);
    // Sole administration implies a reference, so unreferenced keys need no further analysis.
    if (references.length === 0) continue;
    others ??= ctx.principals.filter((principal) => principal.id !== user.userId);
    analyses.push({ parsed, references, soleAdmin: soleAdministrator(parsed.statements, who, accountId, others) });
  }
  perUser.set(user, analyses);
  return analyses;
}
