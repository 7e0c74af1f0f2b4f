import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteSigningCertificateCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserPolicyCommand,
  DeleteVirtualMFADeviceCommand,
  DetachUserPolicyCommand,
  RemoveUserFromGroupCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AwsError } from '../errors';
import type { ApiCaller } from './api-calls';
import type { LiveUserDetails } from './read-user';

/** What removing a user's dependents needs; the delete and quarantine step contexts provide it. */
export interface RemovalContext {
  readonly iam: IAMClient;
  readonly api: ApiCaller;
  readonly userName: string;
  readonly notes: string[];
}

/**
 * One kind of thing IAM refuses to delete a user with (DeleteConflict) until it is gone. `remove`
 * acts on a fresh read of the user (readLiveUser) instead of listing the kind again: every item it
 * names is removed, and NoSuchEntity counts as already removed.
 */
export interface DeleteBlocker {
  /** Id of the delete step that removes this kind. */
  readonly stepId: string;
  readonly description: string;
  /** The mutating IAM actions `remove` may call. */
  readonly permissions: readonly string[];
  /**
   * Removes every item of this kind that `user` shows. `earlier` is an older backup of the same
   * user, for items a crashed run already made invisible to the reads (see the MFA devices).
   */
  remove(ctx: RemovalContext, user: LiveUserDetails, earlier?: LiveUserDetails): Promise<void>;
}

export const LOGIN_PROFILE: DeleteBlocker = {
  stepId: 'delete-login-profile',
  description: 'Delete the console password (login profile), if the fresh read found one',
  permissions: ['iam:DeleteLoginProfile'],
  async remove({ iam, api, userName }, user) {
    if (!user.loginProfile.present) return;
    await api.mutate(iam, new DeleteLoginProfileCommand({ UserName: userName }));
  },
};

const ACCESS_KEYS: DeleteBlocker = {
  stepId: 'delete-access-keys',
  description: 'Delete every access key the fresh read found',
  permissions: ['iam:DeleteAccessKey'],
  async remove({ iam, api, userName }, user) {
    for (const { accessKeyId: AccessKeyId } of user.accessKeys) {
      await api.mutate(iam, new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId }), { target: AccessKeyId });
    }
  },
};

const MFA_DEVICES: DeleteBlocker = {
  stepId: 'remove-mfa-devices',
  description: 'Deactivate every MFA device the fresh read found; delete the virtual ones (hardware and FIDO devices are only deactivated)',
  permissions: ['iam:DeactivateMFADevice', 'iam:DeleteVirtualMFADevice'],
  async remove({ iam, api, userName, notes }, user, earlier) {
    const assigned = user.mfaDevices.map((d) => d.serialNumber);
    for (const { serialNumber: SerialNumber, virtual } of user.mfaDevices) {
      await api.mutate(iam, new DeactivateMFADeviceCommand({ UserName: userName, SerialNumber }), { target: SerialNumber });
      if (virtual) {
        await api.mutate(iam, new DeleteVirtualMFADeviceCommand({ SerialNumber }), {
          target: SerialNumber,
          retryCodes: ['DeleteConflict'],
        });
      }
    }
    // A run that crashed between deactivation and deletion left the virtual device unassigned, so
    // ListMFADevices no longer shows it: only the earlier backup still knows its serial.
    const leftovers = (earlier?.mfaDevices ?? []).filter((d) => d.virtual && !assigned.includes(d.serialNumber));
    for (const { serialNumber } of leftovers) {
      try {
        await api.mutate(iam, new DeleteVirtualMFADeviceCommand({ SerialNumber: serialNumber }), { target: serialNumber });
      } catch (err) {
        if (!(err instanceof AwsError && err.code === 'DeleteConflict')) throw err;
        notes.push(`virtual MFA device ${serialNumber} is assigned again (not to this user): left alone`);
      }
    }
  },
};

const SIGNING_CERTIFICATES: DeleteBlocker = {
  stepId: 'delete-signing-certificates',
  description: 'Delete every signing certificate the fresh read found',
  permissions: ['iam:DeleteSigningCertificate'],
  async remove({ iam, api, userName }, user) {
    for (const { certificateId: CertificateId } of user.signingCertificates) {
      await api.mutate(iam, new DeleteSigningCertificateCommand({ UserName: userName, CertificateId }), { target: CertificateId });
    }
  },
};

const SSH_PUBLIC_KEYS: DeleteBlocker = {
  stepId: 'delete-ssh-public-keys',
  description: 'Delete every SSH public key (CodeCommit) the fresh read found',
  permissions: ['iam:DeleteSSHPublicKey'],
  async remove({ iam, api, userName }, user) {
    for (const { sshPublicKeyId: SSHPublicKeyId } of user.sshPublicKeys) {
      await api.mutate(iam, new DeleteSSHPublicKeyCommand({ UserName: userName, SSHPublicKeyId }), { target: SSHPublicKeyId });
    }
  },
};

const SERVICE_SPECIFIC_CREDENTIALS: DeleteBlocker = {
  stepId: 'delete-service-specific-credentials',
  description: 'Delete every service-specific credential (CodeCommit, Keyspaces, Bedrock) the fresh read found',
  permissions: ['iam:DeleteServiceSpecificCredential'],
  async remove({ iam, api, userName }, user) {
    for (const { serviceSpecificCredentialId: ServiceSpecificCredentialId } of user.serviceSpecificCredentials) {
      await api.mutate(iam, new DeleteServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId }), {
        target: ServiceSpecificCredentialId,
      });
    }
  },
};

const INLINE_POLICIES: DeleteBlocker = {
  stepId: 'delete-inline-policies',
  description: 'Delete every inline policy the fresh read found',
  permissions: ['iam:DeleteUserPolicy'],
  async remove({ iam, api, userName }, user) {
    for (const { name: PolicyName } of user.inlinePolicies) {
      await api.mutate(iam, new DeleteUserPolicyCommand({ UserName: userName, PolicyName }), { target: PolicyName });
    }
  },
};

const MANAGED_POLICIES: DeleteBlocker = {
  stepId: 'detach-managed-policies',
  description: 'Detach every managed policy the fresh read found',
  permissions: ['iam:DetachUserPolicy'],
  async remove({ iam, api, userName }, user) {
    for (const PolicyArn of user.attachedPolicyArns) {
      await api.mutate(iam, new DetachUserPolicyCommand({ UserName: userName, PolicyArn }), { target: PolicyArn });
    }
  },
};

const GROUPS: DeleteBlocker = {
  stepId: 'remove-from-groups',
  description: 'Remove the user from every group the fresh read found',
  permissions: ['iam:RemoveUserFromGroup'],
  async remove({ iam, api, userName }, user) {
    for (const GroupName of user.groups) {
      await api.mutate(iam, new RemoveUserFromGroupCommand({ GroupName, UserName: userName }), { target: GroupName });
    }
  },
};

/** Everything DeleteUser waits for, in the order the delete steps remove it. */
export const DELETE_BLOCKERS: readonly DeleteBlocker[] = [
  LOGIN_PROFILE,
  ACCESS_KEYS,
  MFA_DEVICES,
  SIGNING_CERTIFICATES,
  SSH_PUBLIC_KEYS,
  SERVICE_SPECIFIC_CREDENTIALS,
  INLINE_POLICIES,
  MANAGED_POLICIES,
  GROUPS,
];

/** Removes everything of every kind that `user` shows, in table order. */
export async function removeAllBlockers(ctx: RemovalContext, user: LiveUserDetails): Promise<void> {
  for (const blocker of DELETE_BLOCKERS) await blocker.remove(ctx, user);
}
