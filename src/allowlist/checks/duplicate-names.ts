import type { Diagnostic } from '../diagnostics';
import { type AllowlistCheck, type ListEntry, diagnosticAt, entriesOf, stringField } from './check';

/**
 * A name may appear once: IAM names are unique case-insensitively, whatever the path, so
 * Alice and alice are the same user. A name may also not be both declared and an exception.
 */
export const duplicateNames: AllowlistCheck = (context) => {
  const diagnostics: Diagnostic[] = [];
  const firstSeen = (list: 'users' | 'exceptions'): Map<string, ListEntry> => {
    const seen = new Map<string, ListEntry>();
    for (const entry of entriesOf(context.data, list)) {
      const name = stringField(entry, 'name');
      if (name === null) continue;
      const key = name.toLowerCase();
      const earlier = seen.get(key);
      if (!earlier) {
        seen.set(key, entry);
        continue;
      }
      const earlierName = stringField(earlier, 'name') ?? '';
      const caseOnly = earlierName !== name ? ` (as "${earlierName}"; IAM user names are case-insensitive)` : '';
      diagnostics.push(
        diagnosticAt(
          context,
          [list, entry.index, 'name'],
          'value',
          'error',
          list === 'users' ? 'duplicate-user' : 'duplicate-exception',
          `"${name}" is listed twice in ${list}: also at line ${lineOf(context, earlier)}${caseOnly}`,
          'keep one entry per user: merge the two entries and delete the other',
        ),
      );
    }
    return seen;
  };
  const declared = firstSeen('users');
  const excepted = firstSeen('exceptions');
  for (const [key, exception] of excepted) {
    const user = declared.get(key);
    if (!user) continue;
    diagnostics.push(
      diagnosticAt(
        context,
        ['exceptions', exception.index, 'name'],
        'value',
        'error',
        'declared-and-excepted',
        `"${stringField(exception, 'name')}" is both a declared user (line ${lineOf(context, user)}) and an exception`,
        'keep it in one place: under users if it is meant to stay, under exceptions if it is temporary',
      ),
    );
  }
  return diagnostics;
};

function lineOf(context: Parameters<AllowlistCheck>[0], entry: ListEntry): number {
  return context.source.locate([entry.list, entry.index, 'name']).line;
}
