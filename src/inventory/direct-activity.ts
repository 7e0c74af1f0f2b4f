import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  paginateListAccessKeys,
  paginateListMFADevices,
  paginateListSigningCertificates,
} from '@aws-sdk/client-iam';
import { isNoSuchEntity } from '../errors';
import type { AccessKeyActivity, UserActivity } from '../model/snapshot';
import { step } from './scan-errors';
import { compareText } from '../util/text';

export interface DirectActivity {
  readonly activity: UserActivity;
  /** Serials of every MFA device of the user (virtual and hardware). */
  readonly mfaDevices: readonly string[];
}

/**
 * Activity of one user read with per-user calls, for the few users the credential report cannot
 * speak for (see CredentialReportIndex.rowFor): GetUser (PasswordLastUsed), GetLoginProfile
 * (presence), ListAccessKeys + GetAccessKeyLastUsed per key, ListMFADevices, ListSigningCertificates.
 * Throws FailedRead naming the call that failed.
 */
export async function readDirectActivity(iam: IAMClient, userName: string): Promise<DirectActivity> {
  const user = await step('GetUser', async () => (await iam.send(new GetUserCommand({ UserName: userName }))).User);

  const passwordEnabled = await step('GetLoginProfile', async () => {
    try {
      await iam.send(new GetLoginProfileCommand({ UserName: userName }));
      return true;
    } catch (err) {
      if (isNoSuchEntity(err)) return false;
      throw err;
    }
  });

  const keys = await step('ListAccessKeys', async () => {
    const found: { id: string; active: boolean; created: string | null }[] = [];
    for await (const page of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
      for (const key of page.AccessKeyMetadata ?? []) {
        if (key.AccessKeyId) {
          found.push({ id: key.AccessKeyId, active: key.Status === 'Active', created: key.CreateDate?.toISOString() ?? null });
        }
      }
    }
    return found;
  });

  const accessKeys: AccessKeyActivity[] = [];
  for (const key of keys) {
    const lastUsed = await step(
      'GetAccessKeyLastUsed',
      async () => (await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.id }))).AccessKeyLastUsed,
    );
    accessKeys.push({
      accessKeyId: key.id,
      active: key.active,
      lastRotated: key.created,
      lastUsed: lastUsed?.LastUsedDate ? lastUsed.LastUsedDate.toISOString() : null,
      lastUsedService: lastUsed?.ServiceName && lastUsed.ServiceName !== 'N/A' ? lastUsed.ServiceName : null,
    });
  }
  accessKeys.sort((a, b) => compareText(a.lastRotated ?? '', b.lastRotated ?? ''));

  const mfaDevices = await step('ListMFADevices', async () => {
    const serials: string[] = [];
    for await (const page of paginateListMFADevices({ client: iam }, { UserName: userName })) {
      for (const device of page.MFADevices ?? []) if (device.SerialNumber) serials.push(device.SerialNumber);
    }
    return serials.sort(compareText);
  });

  const activeCertificates = await step('ListSigningCertificates', async () => {
    let active = 0;
    for await (const page of paginateListSigningCertificates({ client: iam }, { UserName: userName })) {
      active += (page.Certificates ?? []).filter((c) => c.Status === 'Active').length;
    }
    return active;
  });

  return {
    activity: {
      passwordEnabled,
      passwordLastUsed: user?.PasswordLastUsed ? user.PasswordLastUsed.toISOString() : null,
      mfaActive: mfaDevices.length > 0,
      accessKeys,
      activeCertificates,
    },
    mfaDevices,
  };
}
