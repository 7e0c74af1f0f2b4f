export * from './audit';
export * from './backup';
export { executeAction, deleteUser, quarantineUser, stepsFor, type ExecutorContext, type ActionResult, type RecheckResult } from './executor';
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
export {
  DELETE_STEPS,
  QUARANTINE_STEPS,
  RELEASE_STEPS,
  RESTORE_STEPS,
  READ_PERMISSIONS,
  RESTORED_FROM_TAG,
  type RestoreMode,
  type RestoreContext,
  type ReleaseContext,
  requiredPermissions,
  leastPrivilegePolicy,
  type ActionKind,
  type PolicyMode,
  type PolicyDocument,
  type Step,
  type StepContext,
} from './steps';
export type { RetryOptions } from './api-calls';
export { DELETE_BLOCKERS, type DeleteBlocker } from './dependents';
export * from '../model/quarantine-marker';
export { readLiveUser, isVirtualMfaSerial, READ_USER_PERMISSIONS, type LiveUserDetails } from './read-user';
