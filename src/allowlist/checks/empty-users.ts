import { isRecord } from '../data-path';
import { type AllowlistCheck, diagnosticAt } from './check';

/** An empty list declares nobody, so every user would be removed; the planner refuses it unless allowed. */
export const emptyUsers: AllowlistCheck = (context) => {
  const data = context.data;
  if (!isRecord(data) || !Array.isArray(data['users']) || data['users'].length > 0) return [];
  const guards = data['guards'];
  if (isRecord(guards) && guards['allowEmpty'] === true) return [];
  return [
    diagnosticAt(
      context,
      ['users'],
      'key',
      'warning',
      'empty-users',
      'the allowlist declares no users: every IAM user in the account counts as undeclared, so runs are refused',
      'declare the users that may exist (`iam-allowlist init` writes them all), or set guards.allowEmpty: true if removing every user is intended',
    ),
  ];
};
