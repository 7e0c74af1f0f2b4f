/**
 * The planner matches users with the allowlist's own matcher (pure, no I/O), so the loader, `init`
 * and the planner can never disagree about who is declared.
 */
export {
  matchDeclared,
  entriesNamed,
  entryMatches,
  isExceptionEntry,
  type DeclaredMatch as AllowlistMatch,
  type UserIdentity,
} from '../allowlist/match';
