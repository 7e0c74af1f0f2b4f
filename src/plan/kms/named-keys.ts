import type { GuardFinding, GuardKind, Plan } from '../../model/plan';
import type { Snapshot } from '../../model/snapshot';
import { compareText } from '../../util/text';

/** The guards whose messages show a key's state (describeKey in ./describe.ts). */
const KMS_GUARD_KINDS: ReadonlySet<GuardKind> = new Set<GuardKind>(['kms-key-policy', 'kms-sole-admin', 'kms-grant']);

/**
 * The ARNs of the keys the plan's KMS guard findings (of users and of the run) name whose state was not read
 * (keyState null): exactly the keys whose messages would say "state unknown". Sorted, each once.
 */
export function keysNamedByFindings(plan: Plan, snapshot: Snapshot): string[] {
  const undescribed = new Set(snapshot.kms.flatMap((region) => region.keys.filter((key) => key.keyState === null).map((key) => key.arn)));
  const findings: GuardFinding[] = [...plan.runGuards, ...plan.users.flatMap((user) => user.guards)];
  const named = findings
    .filter((finding) => KMS_GUARD_KINDS.has(finding.kind) && finding.resource !== null && undescribed.has(finding.resource))
    .map((finding) => finding.resource as string);
  return [...new Set(named)].sort(compareText);
}
