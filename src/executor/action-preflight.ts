import { GetUserCommand, type IAMClient, type User } from '@aws-sdk/client-iam';
import { RefusedError } from '../errors';
import type { PlannedAction } from '../model/plan';
import type { ApiCaller } from './api-calls';
import type { Step } from './step';

export type RecheckResult = { readonly ok: true } | { readonly ok: false; readonly reasons: readonly string[] };

/** What the first step of a deletion or quarantine works with. */
export interface PreflightContext {
  readonly iam: IAMClient;
  readonly api: ApiCaller;
  readonly action: PlannedAction;
  /** The account the plan was made for. */
  readonly accountId: string;
  readonly recheck: (action: PlannedAction) => Promise<RecheckResult>;
  readonly notes: string[];
  /** Set by the step: false when the user no longer exists (nothing left to do). */
  userExists: boolean;
  /** Set by the step: the GetUser answer of the UserId check (for the backup read). */
  liveUser?: User;
}

/**
 * Before anything about the user is read in full: the live user must be the planned one (same
 * UserId, same account), and the fresh re-check of the guards must pass. Refuses (RefusedError)
 * otherwise; a user already gone is not an error.
 */
export const ACTION_PREFLIGHT: Step<PreflightContext> = {
  id: 'preflight',
  description: 'GetUser: the live user must have the planned UserId; then the fresh re-check',
  permissions: ['iam:GetUser'],
  async run(ctx) {
    const { action } = ctx;
    const live = await ctx.api.read(ctx.iam, new GetUserCommand({ UserName: action.userName }), { tolerate: ['NoSuchEntity'] });
    if (!live?.User) {
      ctx.userExists = false;
      ctx.notes.push(
        action.action === 'delete'
          ? `user ${action.userName} no longer exists: already deleted`
          : `user ${action.userName} no longer exists: nothing to quarantine`,
      );
      return;
    }
    ctx.userExists = true;
    ctx.liveUser = live.User;
    if (live.User.UserId !== action.userId) {
      throw new RefusedError(
        `user ${action.userName} was recreated: planned UserId ${action.userId}, live UserId ${live.User.UserId}. Nothing was changed; plan again.`,
        ['recreated'],
      );
    }
    const liveAccount = (live.User.Arn ?? '').split(':')[4];
    if (liveAccount !== ctx.accountId) {
      throw new RefusedError(`user ${action.userName} is in account ${liveAccount}, not the planned account ${ctx.accountId}`, [
        'account-pin',
      ]);
    }
    const recheck = await ctx.recheck(action);
    if (!recheck.ok) {
      throw new RefusedError(`re-check refused to ${action.action} ${action.userName}: ${recheck.reasons.join('; ')}`, recheck.reasons);
    }
  },
};
