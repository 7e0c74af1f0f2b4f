import { isCalendarDate } from '../dates';
import type { Diagnostic } from '../diagnostics';
import { type AllowlistCheck, diagnosticAt, entriesOf, stringField } from './check';

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** An expiry must be a real day: 2026-02-30 has the right shape (the schema's job) but does not exist. */
export const calendarDates: AllowlistCheck = (context) => {
  const diagnostics: Diagnostic[] = [];
  for (const entry of [...entriesOf(context.data, 'users'), ...entriesOf(context.data, 'exceptions')]) {
    const expires = stringField(entry, 'expires');
    if (expires === null || !DATE_SHAPE.test(expires) || isCalendarDate(expires)) continue;
    diagnostics.push(
      diagnosticAt(
        context,
        [entry.list, entry.index, 'expires'],
        'value',
        'error',
        'invalid-date',
        `expires: ${expires} is not a calendar date`,
        `write a day that exists, YYYY-MM-DD${lastDayHint(expires)}`,
      ),
    );
  }
  return diagnostics;
};

function lastDayHint(text: string): string {
  const [year, month] = text.split('-').map(Number);
  if (year === undefined || month === undefined || month < 1 || month > 12) return ' (the month must be 01-12)';
  const month31 = [1, 3, 5, 7, 8, 10, 12].includes(month);
  const lastDay = month === 2 ? (isLeap(year) ? 29 : 28) : month31 ? 31 : 30;
  return ` (the last day of ${text.slice(0, 7)} is ${text.slice(0, 7)}-${lastDay})`;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
