import { isCalendarDate, isExpired } from '../dates';
import type { Diagnostic } from '../diagnostics';
import { type AllowlistCheck, diagnosticAt, entriesOf, stringField } from './check';

/**
 * An expiry in the past is legal (it is how a declaration lapses) but worth a warning:
 * from the day after it, the user counts as undeclared and the planner acts on it.
 */
export const expiredEntries: AllowlistCheck = (context) => {
  const diagnostics: Diagnostic[] = [];
  for (const entry of [...entriesOf(context.data, 'users'), ...entriesOf(context.data, 'exceptions')]) {
    const expires = stringField(entry, 'expires');
    if (expires === null || !isCalendarDate(expires) || !isExpired(expires, context.now)) continue;
    const name = stringField(entry, 'name') ?? `${entry.list}[${entry.index}]`;
    const kind = entry.list === 'users' ? 'declaration' : 'exception';
    diagnostics.push(
      diagnosticAt(
        context,
        [entry.list, entry.index, 'expires'],
        'value',
        'warning',
        'expired',
        `the ${kind} for "${name}" expired on ${expires}: the user now counts as undeclared`,
        `extend \`expires\` if the user must stay, or remove the entry once the user is gone`,
      ),
    );
  }
  return diagnostics;
};
