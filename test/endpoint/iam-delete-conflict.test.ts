import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteSigningCertificateCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DeleteVirtualMFADeviceCommand,
  DetachUserPolicyCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  TagUserCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
  CreateGroupCommand,
} from '@aws-sdk/client-iam';
import { sampleCertificateBody } from '../../src/endpoint/iam/signingCertificates';
import { sampleSshPublicKeyBody } from '../../src/endpoint/iam/sshPublicKeys';
import { failureOf, useIamEndpoint } from './helpers';

const USER = 'victim';
const POLICY_DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });

/** Each dependent kind: how to add it through the API, and how to remove it again. */
interface Dependency {
  readonly kind: string;
  add(iam: IAMClient): Promise<() => Promise<unknown>>;
}

const DEPENDENCIES: Dependency[] = [
  {
    kind: 'login profile',
    add: async (iam) => {
      await iam.send(new CreateLoginProfileCommand({ UserName: USER, Password: 'Placeholder-Pa55word!' }));
      return () => iam.send(new DeleteLoginProfileCommand({ UserName: USER }));
    },
  },
  {
    kind: 'access key',
    add: async (iam) => {
      const key = await iam.send(new CreateAccessKeyCommand({ UserName: USER }));
      return () => iam.send(new DeleteAccessKeyCommand({ UserName: USER, AccessKeyId: key.AccessKey?.AccessKeyId }));
    },
  },
  {
    kind: 'signing certificate',
    add: async (iam) => {
      const cert = await iam.send(new UploadSigningCertificateCommand({ UserName: USER, CertificateBody: sampleCertificateBody('x') }));
      return () => iam.send(new DeleteSigningCertificateCommand({ UserName: USER, CertificateId: cert.Certificate?.CertificateId }));
    },
  },
  {
    kind: 'SSH public key',
    add: async (iam) => {
      const key = await iam.send(new UploadSSHPublicKeyCommand({ UserName: USER, SSHPublicKeyBody: sampleSshPublicKeyBody('x') }));
      return () => iam.send(new DeleteSSHPublicKeyCommand({ UserName: USER, SSHPublicKeyId: key.SSHPublicKey?.SSHPublicKeyId }));
    },
  },
  {
    kind: 'service-specific credential',
    add: async (iam) => {
      const c = await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: USER, ServiceName: 'codecommit.amazonaws.com' }));
      const id = c.ServiceSpecificCredential?.ServiceSpecificCredentialId;
      return () => iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: USER, ServiceSpecificCredentialId: id }));
    },
  },
  {
    kind: 'MFA device',
    add: async (iam) => {
      const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: USER }));
      const serial = device.VirtualMFADevice?.SerialNumber;
      await iam.send(
        new EnableMFADeviceCommand({ UserName: USER, SerialNumber: serial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }),
      );
      return async () => {
        await iam.send(new DeactivateMFADeviceCommand({ UserName: USER, SerialNumber: serial }));
        await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }));
      };
    },
  },
  {
    kind: 'inline policy',
    add: async (iam) => {
      await iam.send(new PutUserPolicyCommand({ UserName: USER, PolicyName: 'deny', PolicyDocument: POLICY_DOC }));
      return () => iam.send(new DeleteUserPolicyCommand({ UserName: USER, PolicyName: 'deny' }));
    },
  },
  {
    kind: 'attached managed policy',
    add: async (iam) => {
      const arn = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
      await iam.send(new AttachUserPolicyCommand({ UserName: USER, PolicyArn: arn }));
      return () => iam.send(new DetachUserPolicyCommand({ UserName: USER, PolicyArn: arn }));
    },
  },
  {
    kind: 'group membership',
    add: async (iam) => {
      await iam.send(new CreateGroupCommand({ GroupName: 'g' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'g', UserName: USER }));
      return () => iam.send(new RemoveUserFromGroupCommand({ GroupName: 'g', UserName: USER }));
    },
  },
];

describe('DeleteUser refuses while a dependent entity remains', () => {
  const ctx = useIamEndpoint(async ({ iam }) => {
    await iam.send(new CreateUserCommand({ UserName: USER }));
  });

  test.each(DEPENDENCIES.map((d) => [d.kind, d] as const))(
    'GIVEN a user with only a %s WHEN deleted THEN DeleteConflict 409, and after removing it the delete succeeds',
    async (_kind, dependency) => {
      const remove = await dependency.add(ctx.iam);
      const failure = await failureOf(ctx.iam.send(new DeleteUserCommand({ UserName: USER })));
      expect(failure).toMatchObject({ name: 'DeleteConflictException', status: 409 });
      await remove();
      await ctx.iam.send(new DeleteUserCommand({ UserName: USER }));
      expect(ctx.ep.state.iam.users.size).toBe(0);
    },
  );

  test('GIVEN a user with only a permissions boundary and tags WHEN deleted THEN it is deleted', async () => {
    await ctx.iam.send(
      new PutUserPermissionsBoundaryCommand({ UserName: USER, PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }),
    );
    await ctx.iam.send(new TagUserCommand({ UserName: USER, Tags: [{ Key: 'k', Value: 'v' }] }));
    await ctx.iam.send(new DeleteUserCommand({ UserName: USER }));
    expect(ctx.ep.state.iam.users.has(USER)).toBe(false);
  });
});
