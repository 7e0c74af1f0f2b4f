/** readUserDetails against the local endpoint through the real IAM client over HTTP. */
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AwsClients } from '../../src/aws/clients';
import { startEndpoint, type LocalEndpoint } from '../../src/endpoint/index';
import { AwsError } from '../../src/errors';
import { readUserDetails } from '../../src/inventory/user-details';

let ep: LocalEndpoint;
let clients: AwsClients;
let savedEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  ep = await startEndpoint();
  savedEnv = { ...process.env };
  Object.assign(process.env, ep.env());
  clients = new AwsClients();
});

afterAll(async () => {
  clients?.destroy();
  process.env = savedEnv;
  await ep?.stop();
});

beforeEach(() => ep.reset('sandbox'));

describe('readUserDetails', () => {
  it('GIVEN old-admin with every dependent kind WHEN read THEN every dependent is in the details', async () => {
    const details = await readUserDetails(clients, 'old-admin');

    expect(details.userName).toBe('old-admin');
    expect(details.userId).toMatch(/^AIDA/);
    expect(details.arn).toBe('arn:aws:iam::111122223333:user/old-admin');
    expect(details.loginProfile).not.toBeNull();
    expect(details.accessKeys).toHaveLength(2);
    expect(details.accessKeys.every((k) => /^AKIA/.test(k.accessKeyId) && k.createDate !== null)).toBe(true);
    expect(details.signingCertificates).toHaveLength(1);
    expect(details.signingCertificates[0]?.body).toContain('BEGIN CERTIFICATE');
    expect(details.sshPublicKeys).toHaveLength(1);
    expect(details.sshPublicKeys[0]?.body).toMatch(/^ssh-/);
    expect(details.serviceSpecificCredentials).toHaveLength(1);
    expect(details.mfaDevices).toHaveLength(1);
    expect(details.inlinePolicies.length).toBeGreaterThan(0);
    for (const policy of details.inlinePolicies) expect(() => JSON.parse(policy.document)).not.toThrow();
    expect(details.attachedPolicies.length).toBeGreaterThan(0);
    expect(details.groups).toEqual(['admins']);
    expect(details.permissionsBoundaryArn).not.toBeNull();
    expect(Object.keys(details.tags).length).toBeGreaterThan(0);
  });

  it('GIVEN a user whose secrets were just created WHEN read THEN none of those secrets is in the details', async () => {
    const iam = new IAMClient({});
    const password = 'Correct-Horse-Battery-Staple-42!';
    let secretAccessKey: string | undefined;
    let servicePassword: string | undefined;
    try {
      await iam.send(new CreateUserCommand({ UserName: 'secretive', Path: '/tmp/' }));
      await iam.send(new CreateLoginProfileCommand({ UserName: 'secretive', Password: password }));
      secretAccessKey = (await iam.send(new CreateAccessKeyCommand({ UserName: 'secretive' }))).AccessKey?.SecretAccessKey;
      servicePassword = (
        await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'secretive', ServiceName: 'codecommit.amazonaws.com' }))
      ).ServiceSpecificCredential?.ServicePassword;
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'secretive',
          PolicyName: 'percent',
          PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::100%-bucket/*"}]}',
        }),
      );
    } finally {
      iam.destroy();
    }
    expect(secretAccessKey).toBeTruthy();
    expect(servicePassword).toBeTruthy();

    const details = await readUserDetails(clients, 'secretive');
    const text = JSON.stringify(details);

    expect(text).not.toContain(secretAccessKey);
    expect(text).not.toContain(servicePassword);
    expect(text).not.toContain(password);
    expect(text).not.toMatch(/SecretAccessKey|ServicePassword|Base32StringSeed|QRCodePNG/i);
    expect(details.path).toBe('/tmp/');
    expect(details.loginProfile).toMatchObject({ passwordResetRequired: false });
    expect(details.accessKeys).toHaveLength(1);
    expect(details.serviceSpecificCredentials[0]).toMatchObject({ serviceName: 'codecommit.amazonaws.com', status: 'Active' });
    expect(details.inlinePolicies).toEqual([
      { policyName: 'percent', document: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::100%-bucket/*"}]}' },
    ]);
  });

  it('GIVEN a user without any credentials WHEN read THEN the lists are empty and the login profile is null', async () => {
    const iam = new IAMClient({});
    try {
      await iam.send(new CreateUserCommand({ UserName: 'bare-user' }));
    } finally {
      iam.destroy();
    }
    const details = await readUserDetails(clients, 'BARE-USER');
    expect(details.userName).toBe('bare-user');
    expect(details.accessKeys).toEqual([]);
    expect(details.inlinePolicies).toEqual([]);
    expect(details.tags).toEqual({});
    expect(details.loginProfile).toBeNull();
    expect(details.mfaDevices).toEqual([]);
    expect(details.sshPublicKeys).toEqual([]);
    expect(details.groups).toEqual([]);
  });

  it('GIVEN a user name that does not exist WHEN read THEN AwsError with code NoSuchEntity from GetUser', async () => {
    const failure = await readUserDetails(clients, 'nobody-here').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AwsError);
    expect(failure).toMatchObject({ code: 'NoSuchEntity', operation: 'GetUser' });
  });

  it('GIVEN a throttled detail list WHEN every retry fails THEN AwsError names the list operation', async () => {
    ep.faults.failAlways('iam:ListSSHPublicKeys', 'Throttling');
    const impatient = new AwsClients({ maxAttempts: 2 });
    const failure = await readUserDetails(impatient, 'old-admin').catch((e: unknown) => e);
    impatient.destroy();
    expect(failure).toBeInstanceOf(AwsError);
    expect(failure).toMatchObject({ operation: 'ListSSHPublicKeys', code: 'Throttling' });
  });
});
