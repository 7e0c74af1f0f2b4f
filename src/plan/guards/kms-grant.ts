import type { KmsGrantFacts } from '../../model/snapshot';
import { describeKey } from '../kms/describe';
import type { ParsedKey } from '../context';
import { KMS_BLOCKS_RUN, type UserGuardHit, type UserGuardRecord } from './types';

/** One grant naming a principal, in scan order (keyIndex, then grantIndex, grantee before retiring principal). */
interface GrantReference {
  readonly keyIndex: number;
  readonly grantIndex: number;
  readonly role: 'grantee' | 'retiring';
}

interface GrantIndex {
  /** By the principal lower-cased: ARNs match case-insensitively. */
  readonly byLowerCase: ReadonlyMap<string, readonly GrantReference[]>;
  /** By the principal as written: unique ids match exactly. */
  readonly byExact: ReadonlyMap<string, readonly GrantReference[]>;
}

// Built once per plan: looking every user up in every key's grants made the plan users × grants.
const indexes = new WeakMap<readonly ParsedKey[], GrantIndex>();

function grantIndex(keys: readonly ParsedKey[]): GrantIndex {
  const cached = indexes.get(keys);
  if (cached) return cached;
  const byLowerCase = new Map<string, GrantReference[]>();
  const byExact = new Map<string, GrantReference[]>();
  const add = (map: Map<string, GrantReference[]>, principal: string, ref: GrantReference) => {
    const refs = map.get(principal);
    if (refs) refs.push(ref);
    else map.set(principal, [ref]);
  };
  keys.forEach(({ key }, keyIndex) => {
    (key.grants ?? []).forEach((grant, grantIndex) => {
      for (const [role, principal] of [
        ['grantee', grant.granteePrincipal],
        ['retiring', grant.retiringPrincipal],
      ] as const) {
        if (principal === null) continue;
        add(byLowerCase, principal.toLowerCase(), { keyIndex, grantIndex, role });
        add(byExact, principal, { keyIndex, grantIndex, role });
      }
    });
  });
  const index = { byLowerCase, byExact };
  indexes.set(keys, index);
  return index;
}

function roleText(grant: KmsGrantFacts, role: GrantReference['role']): string {
  const label = `grant ${grant.grantId}${grant.name ? ` "${grant.name}"` : ''}`;
  return role === 'grantee' ? `grantee of ${label} (${grant.operations.join(', ') || 'no operations'})` : `retiring principal of ${label}`;
}

export const kmsGrantGuard: UserGuardRecord<'kms-grant'> = {
  id: 'kms-grant',
  category: 'decision',
  scope: 'user',
  severity: 'high',
  blocksRun: KMS_BLOCKS_RUN,
  description: 'a KMS grant names the user as GranteePrincipal or RetiringPrincipal (by ARN, case-insensitive, or unique id)',
  evaluate: (ctx, { user }) => {
    const index = grantIndex(ctx.keys);
    const refs = new Map<string, GrantReference>();
    for (const ref of [...(index.byLowerCase.get(user.arn.toLowerCase()) ?? []), ...(index.byExact.get(user.userId) ?? [])]) {
      refs.set(`${ref.keyIndex}/${ref.grantIndex}/${ref.role}`, ref);
    }
    const ordered = [...refs.values()].sort(
      (a, b) => a.keyIndex - b.keyIndex || a.grantIndex - b.grantIndex || (a.role === b.role ? 0 : a.role === 'grantee' ? -1 : 1),
    );
    const rolesByKey = new Map<number, string[]>();
    for (const ref of ordered) {
      const grant = ctx.keys[ref.keyIndex]!.key.grants![ref.grantIndex]!;
      const roles = rolesByKey.get(ref.keyIndex);
      if (roles) roles.push(roleText(grant, ref.role));
      else rolesByKey.set(ref.keyIndex, [roleText(grant, ref.role)]);
    }
    const hits: UserGuardHit[] = [];
    for (const [keyIndex, roles] of rolesByKey) {
      const { key } = ctx.keys[keyIndex]!;
      hits.push({ resource: key.arn, region: key.region, message: `${roles.join('; ')} on KMS key ${describeKey(key)}` });
    }
    return hits;
  },
};
