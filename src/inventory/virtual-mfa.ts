import { IAMClient, paginateListVirtualMFADevices } from '@aws-sdk/client-iam';

/**
 * Serials of the assigned virtual MFA devices, per user name in lower case (IAM names are
 * case-insensitive), each list sorted. One paginated account-wide listing instead of a call per user.
 * Hardware and FIDO devices are not listed here; the credential report's mfa_active still says
 * whether a user has one. Throws the SDK error on failure.
 */
export async function readVirtualMfaAssignments(iam: IAMClient): Promise<Map<string, string[]>> {
  const byUser = new Map<string, string[]>();
  for await (const page of paginateListVirtualMFADevices({ client: iam, pageSize: 1000 }, { AssignmentStatus: 'Assigned' })) {
    for (const device of page.VirtualMFADevices ?? []) {
      const userName = device.User?.UserName;
      if (!userName || !device.SerialNumber) continue;
      const key = userName.toLowerCase();
      const serials = byUser.get(key) ?? [];
      serials.push(device.SerialNumber);
      byUser.set(key, serials);
    }
  }
  for (const serials of byUser.values()) serials.sort();
  return byUser;
}
