import { GetUserCommand, type IAMClient, type User } from '@aws-sdk/client-iam';
import { RefusedError } from '../errors';
import type { PlannedAction } from '../model/plan';
import type { ApiCaller } from './api-calls';
import type { Step } from './step';

/**
 * Refuses (RefusedError, reason "recreated") when the live user of that name has another UserId than the planned
 * one: a user recreated under the same name is another user. Called before anything is changed.
 */
export function refuseUnlessPlannedUser(userName: string, plannedUserId: string, liveUserId: string | undefined): void {
  if (liveUserId === plannedUserId) return;
  throw new RefusedError(
    `user ${userName} was recreated: planned UserId ${plannedUserId}, live UserId ${liveUserId}. Nothing was changed; plan again.`,
    ['recreated'],
  );
}

/** What the first step of a deletion or quarantine works with. */
export interface PreflightContext {
  readonly iam: IAMClient;
  readonly api: ApiCaller;
  readonly action: PlannedAction;
  /** The account the plan was made for. */
  readonly accountId: string;
  readonly notes: string[];
  /** Set by the step: the GetUser answer of the UserId check; left unset when the user no longer exists (nothing left to do). */
  liveUser?: User;
}

/**
 * Before anything else about the user is read: the live user must be the planned one (same UserId,
 * same account). Refuses (RefusedError) otherwise; a user already gone is not an error. The fresh
 * re-check of the guards is the `recheck` step of the action's table.
 */
export const ACTION_PREFLIGHT: Step<PreflightContext> = {
  id: 'preflight',
  description: 'GetUser: the live user must have the planned UserId, in the planned account',
  permissions: ['iam:GetUser'],
  async run(ctx) {
    const { action } = ctx;
    const live = await ctx.api.read(ctx.iam, new GetUserCommand({ UserName: action.userName }), { tolerate: ['NoSuchEntity'] });
    if (!live?.User) {
      ctx.notes.push(
        action.action === 'delete'
          ? `user ${action.userName} no longer exists: already deleted`
          : `user ${action.userName} no longer exists: nothing to quarantine`,
      );
      return;
    }
    ctx.liveUser = live.User;
    refuseUnlessPlannedUser(action.userName, action.userId, live.User.UserId);
    const liveAccount = (live.User.Arn ?? '').split(':')[4];
    if (liveAccount !== ctx.accountId) {
      throw new RefusedError(`user ${action.userName} is in account ${liveAccount}, not the planned account ${ctx.accountId}`, [
        'account-pin',
      ]);
    }
  },
};
