import type { Diagnostic } from '../diagnostics';
import { type AllowlistCheck, diagnosticAt, entriesOf, stringField } from './check';

/** A user's `action` only applies once its declaration expires; without `expires` it never does. */
export const actionWithoutExpiry: AllowlistCheck = (context) => {
  const diagnostics: Diagnostic[] = [];
  for (const entry of entriesOf(context.data, 'users')) {
    if (entry.entry['action'] === undefined || entry.entry['expires'] !== undefined) continue;
    diagnostics.push(
      diagnosticAt(
        context,
        ['users', entry.index, 'action'],
        'key',
        'warning',
        'action-without-expiry',
        `\`action\` of "${stringField(entry, 'name') ?? `users[${entry.index}]`}" has no effect: it applies only once the entry expires, and the entry has no \`expires\``,
        'add `expires: YYYY-MM-DD`, or remove `action`',
      ),
    );
  }
  return diagnostics;
};
