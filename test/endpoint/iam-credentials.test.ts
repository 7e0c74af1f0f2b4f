import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateServiceSpecificCredentialCommand,
  CreateVirtualMFADeviceCommand,
  DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  GetSSHPublicKeyCommand,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListServiceSpecificCredentialsCommand,
  ListSigningCertificatesCommand,
  ListSSHPublicKeysCommand,
  ListVirtualMFADevicesCommand,
  UpdateAccessKeyCommand,
  UpdateLoginProfileCommand,
  UpdateSigningCertificateCommand,
  UpdateSSHPublicKeyCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
} from '@aws-sdk/client-iam';
import { sampleCertificateBody } from '../../src/endpoint/iam/signingCertificates';
import { sampleSshPublicKeyBody } from '../../src/endpoint/iam/sshPublicKeys';
import { failureOf, useIamEndpoint } from './helpers';

describe('IAM user credentials', () => {
  const ctx = useIamEndpoint(({ ep }) => {
    ep.state.iam.createUser({ name: 'u' });
  });

  test('GIVEN a user WHEN access keys are created THEN only CreateAccessKey shows a secret and a third key hits LimitExceeded', async () => {
    const created = await ctx.iam.send(new CreateAccessKeyCommand({ UserName: 'u' }));
    expect(created.AccessKey?.AccessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(created.AccessKey?.SecretAccessKey).toHaveLength(40);
    await ctx.iam.send(new CreateAccessKeyCommand({ UserName: 'u' }));
    expect(await failureOf(ctx.iam.send(new CreateAccessKeyCommand({ UserName: 'u' })))).toMatchObject({
      name: 'LimitExceededException',
      status: 409,
    });
    await ctx.iam.send(new UpdateAccessKeyCommand({ UserName: 'u', AccessKeyId: created.AccessKey?.AccessKeyId, Status: 'Inactive' }));
    const listed = await ctx.iam.send(new ListAccessKeysCommand({ UserName: 'u' }));
    expect(listed.AccessKeyMetadata).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain('Secret');
    expect(listed.AccessKeyMetadata?.find((k) => k.AccessKeyId === created.AccessKey?.AccessKeyId)?.Status).toBe('Inactive');
  });

  test('GIVEN seeded key activity WHEN GetAccessKeyLastUsed THEN date, service and region show; an unused key shows N/A', async () => {
    const used = ctx.ep.state.iam.createAccessKey('u', {
      lastUsed: { date: new Date('2026-01-02T03:04:05Z'), serviceName: 's3', region: 'eu-west-1' },
    });
    const unused = ctx.ep.state.iam.createAccessKey('u');
    const a = await ctx.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: used.accessKeyId }));
    expect(a.UserName).toBe('u');
    expect(a.AccessKeyLastUsed).toEqual({ LastUsedDate: new Date('2026-01-02T03:04:05Z'), ServiceName: 's3', Region: 'eu-west-1' });
    const b = await ctx.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: unused.accessKeyId }));
    expect(b.AccessKeyLastUsed).toEqual({ ServiceName: 'N/A', Region: 'N/A' });
  });

  test('GIVEN a user WHEN a login profile is created twice, read and updated THEN EntityAlreadyExists then the update shows', async () => {
    await ctx.iam.send(new CreateLoginProfileCommand({ UserName: 'u', Password: 'Placeholder-Pa55word!' }));
    expect(await failureOf(ctx.iam.send(new CreateLoginProfileCommand({ UserName: 'u', Password: 'x' })))).toMatchObject({ status: 409 });
    await ctx.iam.send(new UpdateLoginProfileCommand({ UserName: 'u', PasswordResetRequired: true }));
    const profile = await ctx.iam.send(new GetLoginProfileCommand({ UserName: 'u' }));
    expect(profile.LoginProfile).toMatchObject({ UserName: 'u', PasswordResetRequired: true });
  });

  test('GIVEN virtual MFA devices WHEN one is enabled THEN the assignment filters and DeleteConflict while assigned hold', async () => {
    const a = await ctx.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'a' }));
    await ctx.iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'b' }));
    expect(a.VirtualMFADevice?.SerialNumber).toBe('arn:aws:iam::111122223333:mfa/a');
    expect(a.VirtualMFADevice?.Base32StringSeed?.length).toBeGreaterThan(0);
    const serial = a.VirtualMFADevice?.SerialNumber;
    await ctx.iam.send(
      new EnableMFADeviceCommand({ UserName: 'u', SerialNumber: serial, AuthenticationCode1: '111111', AuthenticationCode2: '222222' }),
    );
    const assigned = await ctx.iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }));
    expect(assigned.VirtualMFADevices?.map((d) => [d.SerialNumber, d.User?.UserName])).toEqual([[serial, 'u']]);
    const unassigned = await ctx.iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }));
    expect(unassigned.VirtualMFADevices?.map((d) => d.SerialNumber)).toEqual(['arn:aws:iam::111122223333:mfa/b']);
    expect((await ctx.iam.send(new ListVirtualMFADevicesCommand({}))).VirtualMFADevices).toHaveLength(2);
    expect((await ctx.iam.send(new ListMFADevicesCommand({ UserName: 'u' }))).MFADevices?.[0]?.SerialNumber).toBe(serial);
    expect(await failureOf(ctx.iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })))).toMatchObject({
      name: 'DeleteConflictException',
      status: 409,
    });
  });

  test('GIVEN a user WHEN signing certificates are uploaded, updated and a malformed one offered THEN state and errors match IAM', async () => {
    const cert = await ctx.iam.send(new UploadSigningCertificateCommand({ UserName: 'u', CertificateBody: sampleCertificateBody('one') }));
    expect(cert.Certificate?.Status).toBe('Active');
    await ctx.iam.send(
      new UpdateSigningCertificateCommand({ UserName: 'u', CertificateId: cert.Certificate?.CertificateId, Status: 'Inactive' }),
    );
    const listed = await ctx.iam.send(new ListSigningCertificatesCommand({ UserName: 'u' }));
    expect(listed.Certificates?.map((c) => c.Status)).toEqual(['Inactive']);
    expect(await failureOf(ctx.iam.send(new UploadSigningCertificateCommand({ UserName: 'u', CertificateBody: 'nope' })))).toMatchObject({
      name: 'MalformedCertificateException',
      status: 400,
    });
  });

  test('GIVEN a user WHEN an SSH key is uploaded, read and deactivated THEN the fingerprint and status show', async () => {
    const body = sampleSshPublicKeyBody('k');
    const key = await ctx.iam.send(new UploadSSHPublicKeyCommand({ UserName: 'u', SSHPublicKeyBody: body }));
    expect(key.SSHPublicKey?.SSHPublicKeyId).toMatch(/^APKA/);
    expect(key.SSHPublicKey?.Fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const id = key.SSHPublicKey?.SSHPublicKeyId;
    await ctx.iam.send(new UpdateSSHPublicKeyCommand({ UserName: 'u', SSHPublicKeyId: id, Status: 'Inactive' }));
    const read = await ctx.iam.send(new GetSSHPublicKeyCommand({ UserName: 'u', SSHPublicKeyId: id, Encoding: 'SSH' }));
    expect(read.SSHPublicKey).toMatchObject({ SSHPublicKeyBody: body, Status: 'Inactive' });
    expect((await ctx.iam.send(new ListSSHPublicKeysCommand({ UserName: 'u' }))).SSHPublicKeys).toHaveLength(1);
    expect(await failureOf(ctx.iam.send(new UploadSSHPublicKeyCommand({ UserName: 'u', SSHPublicKeyBody: body })))).toMatchObject({
      name: 'DuplicateSSHPublicKeyException',
    });
  });

  test('GIVEN a user WHEN service-specific credentials are created THEN the password shows once and unsupported services fail', async () => {
    const created = await ctx.iam.send(
      new CreateServiceSpecificCredentialCommand({ UserName: 'u', ServiceName: 'codecommit.amazonaws.com' }),
    );
    expect(created.ServiceSpecificCredential?.ServicePassword?.length).toBeGreaterThan(20);
    expect(created.ServiceSpecificCredential?.ServiceUserName).toBe('u-at-111122223333');
    const listed = await ctx.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: 'u' }));
    expect(listed.ServiceSpecificCredentials?.map((c) => c.ServiceName)).toEqual(['codecommit.amazonaws.com']);
    expect(JSON.stringify(listed)).not.toContain('ServicePassword');
    expect(
      await failureOf(ctx.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'u', ServiceName: 's3.amazonaws.com' }))),
    ).toMatchObject({
      name: 'ServiceNotSupportedException',
      status: 404,
    });
  });
});
