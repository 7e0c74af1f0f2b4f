import type { GuardFinding } from '../../model/plan';
import type { RunGuardRecord } from './types';
import { unscannedRegionsGap } from './unscanned-regions';

/**
 * Fail closed: anything the inventory could not read (a region, a list call, a key policy, grants,
 * the credential report — or only a report more than a day old), an enabled region a guards.regions list
 * leaves out (unless guards.unscannedRegions: allow accepts it), or what the planner could not analyse holds
 * every deletion AND every quarantine of the run — a quarantine decided on incomplete activity data
 * can lock out a user that is in use.
 */
const evaluate: RunGuardRecord['evaluate'] = (ctx) => {
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
      blocked(
        `${error.service} ${error.operation}${where ? ` (${where})` : ''} failed with ${error.code}: ${error.message}`,
        error.resource ?? null,
        error.region ?? null,
      ),
    );
  }
  const gap = ctx.allowlist.guards.unscannedRegions === 'allow' ? null : unscannedRegionsGap(ctx.snapshot, ctx.allowlist);
  if (gap !== null) {
    const fix = 'add them to guards.regions, write `regions: all`, or accept the gap with `guards.unscannedRegions: allow`';
    findings.push(blocked(`${gap} (${fix})`, null, null));
  }
  for (const problem of ctx.policyProblems) findings.push(blocked(problem.message, problem.resource, problem.region));
  const generatedAt = ctx.snapshot.credentialReportGeneratedAt;
  if (generatedAt === null) {
    findings.push(blocked('no credential report could be read, so user activity is unknown', null, null));
  } else {
    const stale = staleReport(generatedAt, ctx.now);
    if (stale !== null) findings.push(blocked(stale, null, null));
  }
  return findings;
};

/** The credential report is regenerated at most every 4 hours; one older than this was not regenerated for the run. */
export const MAX_CREDENTIAL_REPORT_AGE_HOURS = 24;

const MS_PER_HOUR = 60 * 60 * 1000;

/**
 * Why the report's activity cannot be trusted, or null. A report older than a day (e.g.
 * GenerateCredentialReport was denied and an old report was served) misses recent logins and key use,
 * so "unused" or "not recently active" read from it may be wrong.
 */
function staleReport(generatedAt: string, now: Date): string | null {
  const generatedMs = Date.parse(generatedAt);
  if (Number.isNaN(generatedMs)) {
    return `the credential report time ${JSON.stringify(generatedAt)} cannot be read, so user activity may be stale`;
  }
  const ageMs = now.getTime() - generatedMs;
  if (ageMs <= MAX_CREDENTIAL_REPORT_AGE_HOURS * MS_PER_HOUR) return null;
  const hours = Math.floor(ageMs / MS_PER_HOUR);
  return `the credential report is ${hours} hours old (generated ${generatedAt}; limit ${MAX_CREDENTIAL_REPORT_AGE_HOURS} hours), so user activity may be stale`;
}

export const scanIncompleteGuard: RunGuardRecord<'scan-incomplete'> = {
  id: 'scan-incomplete',
  category: 'decision',
  scope: 'run',
  severity: 'high',
  blocksRun: true,
  description:
    'something the inventory could not read (a region, a list call, a key policy, grants, the credential report, or only a stale one), ' +
    'an enabled region a guards.regions list leaves out (unless guards.unscannedRegions: allow), or what the planner could not ' +
    'analyse: fail closed, every deletion and quarantine of the run is held',
  evaluate,
};
