/**
 * Completed actions, read from the stack's previous Terraform state (pure: the caller reads the file).
 *
 * README — "A run after enforcement is clean"
 * Every enforced action is a `terraform_data.<action>_user_<name>` resource whose create-time local-exec runs
 * `iam-allowlist enforce`. The next synthesis must contain the same resource, with the same
 * `triggers_replace` ({user_id, action}), or `terraform plan` shows a change although nothing is left to do:
 * - a quarantined user is still in the account; the planner recognises the quarantine marks (deny policy
 *   and quarantined-at tag), decides `report`, and the stack keeps its resource with action "quarantine";
 * - a deleted user is gone from the account, so the plan alone cannot know about it. `main.ts` therefore
 *   reads the stack's previous state: `$IAM_ALLOWLIST_PREVIOUS_STATE` when set (a pipeline with a remote
 *   backend can fill it with `terraform state pull > previous.tfstate`), otherwise cdktf's default local
 *   state `terraform.<stack>.tfstate` in the project directory when it exists. Every
 *   `terraform_data.delete_user_*` / `quarantine_user_*` there (or `user_*`, the address before the
 *   addresses named the action, moved to the new one) whose `user_id` is no longer in the account is
 *   re-emitted with the same input and triggers and no provisioner: nothing runs, and the plan says "No changes".
 * A recreated user has a new UserId, so its resource is replaced and `enforce` runs again; a released
 * user loses its resource (a state-only destroy), so a later quarantine runs again.
 * Limitation: with a remote backend and no IAM_ALLOWLIST_PREVIOUS_STATE, the first plan after a deletion
 * shows "1 to destroy" for the deleted user's terraform_data (state only: it has no destroy-time
 * provisioner and touches nothing in AWS); the plan after that apply is clean again.
 * The same holds for a resource whose `enforce` failed (tainted): it is never treated as completed.
 */
import { UsageError } from '../errors';
import { compareStrings, legacyResourceName, resourceNameForAction } from './names';
import { isRecord } from '../util/record';

/** An action a previous apply carried out, to be kept in the configuration as it is in state. */
export interface CompletedAction {
  /** resourceNameForAction, also when the state holds it at its legacy address (the stack moves it). */
  readonly resourceName: string;
  readonly userName: string;
  /** The resource's `input` exactly as stored (what `terraform show` displays). */
  readonly input: Readonly<Record<string, unknown>>;
  readonly triggersReplace: { readonly user_id: string; readonly action: 'delete' | 'quarantine' };
}

const IAM_USER_NAME = /^[A-Za-z0-9_+=,.@-]{1,64}$/;

/**
 * The completed `terraform_data.<action>_user_*` (or legacy `user_*`) actions of a Terraform state (format
 * version 4, as written by the local backend and by `terraform state pull`) whose user is no longer live
 * (its user_id is not in `liveUserIds`). Skipped: tainted instances (their enforce failed), resources in
 * modules, counted or for_each instances, and anything whose shape this stack never writes. At most one
 * per user (the stack moves the user's legacy address to one resource): the first by resource name, one
 * stored at its current address before a legacy one. Sorted by resource name.
 * Throws UsageError when `state` is not a version-4 state.
 */
export function completedActionsFromState(state: unknown, liveUserIds: Iterable<string>): CompletedAction[] {
  if (!isRecord(state) || state.version !== 4 || !Array.isArray(state.resources)) {
    throw new UsageError('not a Terraform state (format version 4) with a "resources" list');
  }
  const live = new Set(liveUserIds);
  const found: Array<{ readonly action: CompletedAction; readonly legacy: boolean }> = [];
  for (const resource of state.resources) {
    const action = completedAction(resource);
    if (action !== null && !live.has(action.triggersReplace.user_id)) found.push({ action, legacy: resource.name !== action.resourceName });
  }
  found.sort((a, b) => compareStrings(a.action.resourceName, b.action.resourceName) || Number(a.legacy) - Number(b.legacy));
  const users = new Set<string>();
  const actions: CompletedAction[] = [];
  for (const { action } of found) {
    if (users.has(action.userName)) continue;
    users.add(action.userName);
    actions.push(action);
  }
  return actions;
}

function completedAction(resource: unknown): CompletedAction | null {
  if (!isRecord(resource) || resource.mode !== 'managed' || resource.type !== 'terraform_data') return null;
  if (resource.module !== undefined || typeof resource.name !== 'string') return null;
  if (!Array.isArray(resource.instances) || resource.instances.length !== 1) return null;
  const [instance] = resource.instances as unknown[];
  if (!isRecord(instance) || instance.index_key !== undefined || instance.status === 'tainted') return null;
  if (!isRecord(instance.attributes)) return null;
  const triggers = storedValue(instance.attributes.triggers_replace);
  const input = storedValue(instance.attributes.input);
  if (triggers === null || input === null) return null;
  const { user_id: userId, action } = triggers;
  if (typeof userId !== 'string' || (action !== 'delete' && action !== 'quarantine')) return null;
  const userName = input.user;
  if (typeof userName !== 'string' || !IAM_USER_NAME.test(userName)) return null;
  // Only what this stack writes: the block name is derived from the action and the user name it carries.
  const resourceName = resourceNameForAction(action, userName);
  if (resource.name !== resourceName && resource.name !== legacyResourceName(userName)) return null;
  return { resourceName, userName, input, triggersReplace: { user_id: userId, action } };
}

/** Dynamic attributes (input, triggers_replace) are stored as {value, type}. */
function storedValue(attribute: unknown): Record<string, unknown> | null {
  return isRecord(attribute) && isRecord(attribute.value) ? attribute.value : null;
}
