export * from './audit';
export * from './backup';
export {
  executeAction,
  deleteUser,
  quarantineUser,
  stepsFor,
  type ExecutorContext,
  type ActionResult,
  type RecheckResult,
} from './executor';
export { releaseUser, type ReleaseResult, type ReleaseOptions } from './release';
export { restoreUser, inherentlyLost, type RestoreResult, type RestoreOptions } from './restore';
export {
  DEACTIVATED_KEYS_TAG,
  EXECUTOR_MARK_TAG_KEYS,
  keysToReactivate,
  parseDeactivatedKeys,
  deactivatedKeysTagValue,
  type ReactivationDecision,
} from './deactivated-keys';
export { isRecentUse, refuseIfKeysRecentlyUsed, assertValidRecentlyActiveDays, type RecentKeyUseCheck } from './recent-key-use';
export { InterruptedError, installStopHandlers, requestStop, stopRequested, SIGNAL_EXIT_CODES, type StopSignal } from './interruption';
export { reconcilePendingIntents } from './reconcile';
export { SimulatedCrashError, type StepEvent, type StepResult, type StepOutcome } from './run-steps';
export { DELETE_STEPS } from './delete-steps';
export { QUARANTINE_STEPS } from './quarantine-steps';
export { RELEASE_STEPS, type ReleaseContext } from './release-steps';
export { RESTORE_STEPS, RESTORED_FROM_TAG, type RestoreMode, type RestoreContext } from './restore-steps';
export {
  READ_PERMISSIONS,
  requiredPermissions,
  leastPrivilegePolicy,
  type ActionKind,
  type PolicyMode,
  type PolicyDocument,
} from './permissions';
export type { Step, StepContext } from './step';
export type { RetryOptions } from './api-calls';
export { DELETE_BLOCKERS, type DeleteBlocker } from './dependents';
export * from '../model/quarantine-marker';
export { readLiveUser, isVirtualMfaSerial, READ_USER_PERMISSIONS, type LiveUserDetails } from './read-user';
