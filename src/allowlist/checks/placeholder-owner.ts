import type { Diagnostic } from '../diagnostics';
import { type AllowlistCheck, diagnosticAt, entriesOf, stringField } from './check';

const PLACEHOLDERS = new Set(['todo', 'tbd', 'fixme', 'unknown', '?']);

/** `iam-allowlist init` writes owner: TODO where no tag names one; remind until someone is named. */
export const placeholderOwner: AllowlistCheck = (context) => {
  const diagnostics: Diagnostic[] = [];
  for (const entry of [...entriesOf(context.data, 'users'), ...entriesOf(context.data, 'exceptions')]) {
    const owner = stringField(entry, 'owner');
    if (owner === null || !PLACEHOLDERS.has(owner.trim().toLowerCase())) continue;
    diagnostics.push(
      diagnosticAt(
        context,
        [entry.list, entry.index, 'owner'],
        'value',
        'warning',
        'placeholder-owner',
        `"${stringField(entry, 'name') ?? `${entry.list}[${entry.index}]`}" has no real owner (owner: ${owner})`,
        'name the person or team who answers for this user, e.g. owner: team@example.com',
      ),
    );
  }
  return diagnostics;
};
