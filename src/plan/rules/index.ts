/**
 * The rule registry: one record per file src/plan/rules/<id>.ts, keyed by its id (the mapped type makes
 * the compiler name a RuleId without its record, or a record filed under another id).
 */
import type { RuleId } from '../../model/plan';
import { accessKeyOld } from './access-key-old';
import { accessKeyUnused } from './access-key-unused';
import { createDateUnknown } from './create-date-unknown';
import { declarationExpired } from './declaration-expired';
import { exceptionExpired } from './exception-expired';
import { inactive } from './inactive';
import { longTermCredentials } from './long-term-credentials';
import { passwordWithoutMfa } from './password-without-mfa';
import { quarantineIncomplete } from './quarantine-incomplete';
import { quarantined } from './quarantined';
import { stillQuarantined } from './still-quarantined';
import type { FactsRule, OutcomeRule, RuleRecord } from './types';
import { undeclared } from './undeclared';
import { unused } from './unused';

export const RULE_RECORDS: { readonly [Id in RuleId]: RuleRecord<Id> } = {
  'declaration-expired': declarationExpired,
  'exception-expired': exceptionExpired,
  undeclared,
  inactive,
  unused,
  'create-date-unknown': createDateUnknown,
  'password-without-mfa': passwordWithoutMfa,
  'access-key-old': accessKeyOld,
  'access-key-unused': accessKeyUnused,
  'long-term-credentials': longTermCredentials,
  'quarantine-incomplete': quarantineIncomplete,
  'still-quarantined': stillQuarantined,
  quarantined,
};

/**
 * Evaluation order within a stage, which is also the order of a user's findings. Facts rules: the first
 * proposal decides what the rules intend, so the allowlist rules come first. The quarantine-state rules
 * exclude each other (one speaks for a marked user).
 */
const RULE_ORDER: Readonly<Record<RuleId, number>> = {
  'declaration-expired': 1,
  'exception-expired': 2,
  undeclared: 3,
  inactive: 4,
  unused: 5,
  'create-date-unknown': 6,
  'password-without-mfa': 7,
  'access-key-old': 8,
  'access-key-unused': 9,
  'long-term-credentials': 10,
  'quarantine-incomplete': 11,
  'still-quarantined': 12,
  quarantined: 13,
};

const ordered: readonly RuleRecord[] = Object.values<RuleRecord>(RULE_RECORDS).sort((a, b) => RULE_ORDER[a.id] - RULE_ORDER[b.id]);

/** Rules on the user's facts, in priority order (the first proposal found decides what the rules intend). */
export const FACTS_RULES: readonly FactsRule[] = ordered.filter((rule): rule is FactsRule => rule.stage === 'facts');

/** Rules on the decision reached by the facts rules and the user guards (the quarantine-state rules). */
export const OUTCOME_RULES: readonly OutcomeRule[] = ordered.filter((rule): rule is OutcomeRule => rule.stage === 'outcome');

export function ruleRecord(id: RuleId): RuleRecord {
  return RULE_RECORDS[id];
}
