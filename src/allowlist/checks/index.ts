import { actionWithoutExpiry } from './action-without-expiry';
import { calendarDates } from './calendar-dates';
import type { AllowlistCheck } from './check';
import { duplicateNames } from './duplicate-names';
import { emptyUsers } from './empty-users';
import { expiredEntries } from './expired-entries';
import { placeholderOwner } from './placeholder-owner';
import { regionNames } from './region-names';

/** Every semantic check, run after the JSON Schema on the same data. */
export const ALLOWLIST_CHECKS: readonly AllowlistCheck[] = [
  duplicateNames,
  calendarDates,
  expiredEntries,
  actionWithoutExpiry,
  placeholderOwner,
  emptyUsers,
  regionNames,
];

export type { AllowlistCheck, CheckContext } from './check';
