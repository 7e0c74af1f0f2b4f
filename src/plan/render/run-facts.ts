import type { EndpointOverride, Snapshot } from '../../model/snapshot';

/**
 * Who read which account through which endpoint: what the plan header shows besides the Plan itself, so a
 * reviewer sees at a glance that the plan is of the intended account, by the intended identity, and whether an
 * endpoint override (AWS_ENDPOINT_URL*) pointed the SDK somewhere else than AWS.
 */
export interface RunFacts {
  /** ARN of the identity that read the account (the assumed role with --assume-role). */
  readonly callerArn: string;
  /** With --assume-role: the identity that assumed it; null when it could not be read. Absent without a role. */
  readonly baseCallerArn?: string | null;
  /** The account alias; null: the account has none. Absent: not read (an older snapshot, or the call failed). */
  readonly accountAlias?: string | null;
  /** AWS_ENDPOINT_URL* overrides in effect while the account was read (also for an offline plan from that snapshot). */
  readonly endpointOverrides: readonly EndpointOverride[];
}

/** The facts of the run that took the snapshot (older snapshots: no alias, no overrides). */
export function runFactsOf(snapshot: Snapshot): RunFacts {
  return {
    callerArn: snapshot.caller.arn,
    ...(snapshot.baseCaller !== undefined ? { baseCallerArn: snapshot.baseCaller?.arn ?? null } : {}),
    ...(snapshot.accountAlias !== undefined ? { accountAlias: snapshot.accountAlias } : {}),
    endpointOverrides: snapshot.endpointOverrides ?? [],
  };
}

/** " (alias sandbox)", " (no alias)", or "" when the alias was not read. */
export function aliasSuffix(facts: RunFacts | undefined): string {
  if (facts?.accountAlias === undefined) return '';
  return facts.accountAlias === null ? ' (no alias)' : ` (alias ${facts.accountAlias})`;
}

/** "arn:…:assumed-role/x/y, assumed by arn:…:user/ci" or the caller alone. */
export function callerLine(facts: RunFacts): string {
  if (facts.baseCallerArn === undefined) return facts.callerArn;
  return `${facts.callerArn}, assumed by ${facts.baseCallerArn ?? 'an identity that could not be read'}`;
}

/** "AWS_ENDPOINT_URL=http://127.0.0.1:4566, AWS_ENDPOINT_URL_KMS=…", or null without overrides. */
export function overridesLine(facts: RunFacts): string | null {
  if (facts.endpointOverrides.length === 0) return null;
  return facts.endpointOverrides.map((o) => `${o.variable}=${o.url}`).join(', ');
}
