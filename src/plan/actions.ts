import type { GuardFinding, Plan, PlannedAction } from '../model/plan';

/** The actions the executor may carry out, in plan order (delete and quarantine decisions only). */
export function plannedActions(plan: Plan): PlannedAction[] {
  const actions: PlannedAction[] = [];
  for (const user of plan.users) {
    if (user.decision === 'delete' || user.decision === 'quarantine') {
      actions.push({ action: user.decision, userName: user.name, userId: user.userId, arn: user.arn });
    }
  }
  return actions;
}

/**
 * Every finding that stops the whole run: run guards with blocksRun (today all of them: a run guard
 * without it is a warning), plus per-user findings with blocksRun (KMS references when guards.kms is
 * "block"). When this is non-empty (Plan.runBlocked), `apply` must remove nothing even though other users'
 * decisions still read delete/quarantine (the plan shows what would happen).
 */
export function blockingFindings(plan: Plan): GuardFinding[] {
  const seen = new Set<GuardFinding>();
  const findings: GuardFinding[] = plan.runGuards.filter((finding) => finding.blocksRun);
  findings.forEach((finding) => seen.add(finding));
  for (const user of plan.users) {
    for (const finding of user.guards) {
      if (finding.blocksRun && !plan.runGuards.some((run) => sameFinding(run, finding)) && !seen.has(finding)) {
        seen.add(finding);
        findings.push(finding);
      }
    }
  }
  return findings;
}

function sameFinding(a: GuardFinding, b: GuardFinding): boolean {
  return a.kind === b.kind && a.message === b.message && a.resource === b.resource;
}
