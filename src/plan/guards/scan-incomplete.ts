import type { GuardFinding } from '../../model/plan';
import type { RunGuard } from './types';

/**
 * Fail closed: anything the inventory could not read (a region, a list call, a key policy, grants,
 * the credential report) or the planner could not analyse holds every deletion AND every quarantine
 * of the run — a quarantine decided on incomplete activity data can lock out a user that is in use.
 */
export const scanIncompleteGuard: RunGuard = (ctx) => {
  const findings: GuardFinding[] = [];
  const blocked = (message: string, resource: string | null, region: string | null): GuardFinding => ({
    kind: 'scan-incomplete',
    severity: 'high',
    resource,
    region,
    message: `scan incomplete, nothing is removed: ${message}`,
    blocksRun: true,
  });
  for (const error of ctx.snapshot.scanErrors) {
    const where = [error.region, error.resource].filter((part) => part !== undefined).join(' ');
    findings.push(
      blocked(`${error.service} ${error.operation}${where ? ` (${where})` : ''} failed with ${error.code}: ${error.message}`, error.resource ?? null, error.region ?? null),
    );
  }
  for (const problem of ctx.policyProblems) findings.push(blocked(problem.message, problem.resource, problem.region));
  if (ctx.snapshot.credentialReportGeneratedAt === null) {
    findings.push(blocked('no credential report could be read, so user activity is unknown', null, null));
  }
  return findings;
};
