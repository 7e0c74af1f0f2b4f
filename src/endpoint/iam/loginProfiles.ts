import type { LoginProfileRecord } from './model';
import { IamOperationTable, reader, writer } from './operation';
import { alreadyExists, IamState, noSuchEntity } from './store';

export interface CreateLoginProfileInput {
  readonly passwordResetRequired?: boolean;
  readonly createDate?: Date;
}

/** The password itself is never stored: the endpoint only records that one exists. */
export function createLoginProfile(iam: IamState, userName: string, input: CreateLoginProfileInput = {}): LoginProfileRecord {
  const user = iam.requireUser(userName);
  if (user.loginProfile) throw alreadyExists(`Login Profile for user ${user.name} already exists.`);
  user.loginProfile = { createDate: input.createDate ?? iam.now(), passwordResetRequired: input.passwordResetRequired ?? false };
  return user.loginProfile;
}

function requireLoginProfile(iam: IamState, userName: string): { userName: string; profile: LoginProfileRecord } {
  const user = iam.requireUser(userName);
  if (!user.loginProfile) throw noSuchEntity(`Login Profile for User ${user.name} cannot be found.`);
  return { userName: user.name, profile: user.loginProfile };
}

export const loginProfileOperations: IamOperationTable = {
  CreateLoginProfile: writer((iam, p) => {
    const userName = p.required('UserName');
    const profile = createLoginProfile(iam, userName, { passwordResetRequired: p.bool('PasswordResetRequired') });
    return {
      LoginProfile: {
        UserName: iam.requireUser(userName).name,
        CreateDate: profile.createDate,
        PasswordResetRequired: profile.passwordResetRequired,
      },
    };
  }),
  GetLoginProfile: reader((iam, p) => {
    const { userName, profile } = requireLoginProfile(iam, p.required('UserName'));
    return {
      LoginProfile: { UserName: userName, CreateDate: profile.createDate, PasswordResetRequired: profile.passwordResetRequired },
    };
  }),
  UpdateLoginProfile: writer((iam, p) => {
    const { profile } = requireLoginProfile(iam, p.required('UserName'));
    const reset = p.bool('PasswordResetRequired');
    if (reset !== undefined) profile.passwordResetRequired = reset;
    return undefined;
  }),
  DeleteLoginProfile: writer((iam, p) => {
    requireLoginProfile(iam, p.required('UserName'));
    iam.requireUser(p.required('UserName')).loginProfile = undefined;
    return undefined;
  }),
};
