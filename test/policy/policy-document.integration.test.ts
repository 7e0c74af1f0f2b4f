/**
 * Issue 11 item 3: backups equal the live policy documents on every endpoint, whether it URL-encodes
 * documents (as AWS does) or sends plain JSON (as some emulators do). A literal "%20" inside a document
 * must survive the scan, the backup and `restore` unchanged. Real SDK over HTTP against the local endpoint.
 */
import { CreateRoleCommand, CreateUserCommand, GetUserPolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { readBackup } from '../../src/executor/backup';
import { executeAction } from '../../src/executor/executor';
import { restoreUser } from '../../src/executor/restore';
import { readAuthorizationDetails } from '../../src/inventory/authorization-details';
import { ACCOUNT, FAST_RETRY, plannedAction, useExecutorEndpoint } from '../executor/helpers';

const fixture = useExecutorEndpoint('policy-document-');

/** Valid JSON whose text holds a literal "%20": decoding it a second time would turn that into a space. */
const INLINE_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/Q1%20summary/*' }],
});
const TRUST_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/vera` },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:RoleSessionName': 'nightly%20report' } },
    },
  ],
});

/** What the endpoint's account holds for vera's inline policy, read from its state (not through a decoder under test). */
function storedInlineDocument(): string | undefined {
  const vera = [...fixture.ep.state.iam.users.values()].find((user) => user.name === 'vera');
  return vera?.inlinePolicies.get('reports')?.document;
}

describe.each([['url-encoded' as const], ['plain' as const]])('GIVEN an endpoint that sends policy documents %s', (encoding) => {
  beforeEach(async () => {
    fixture.ep.state.iam.policyDocumentEncoding = encoding;
    await fixture.iam.send(new CreateUserCommand({ UserName: 'vera' }));
    await fixture.iam.send(new PutUserPolicyCommand({ UserName: 'vera', PolicyName: 'reports', PolicyDocument: INLINE_DOCUMENT }));
  });

  test('WHEN the endpoint answers GetUserPolicy THEN it really sends that shape (the test control works)', async () => {
    const got = await fixture.iam.send(new GetUserPolicyCommand({ UserName: 'vera', PolicyName: 'reports' }));
    expect(got.PolicyDocument).toBe(encoding === 'plain' ? INLINE_DOCUMENT : encodeURIComponent(INLINE_DOCUMENT));
  });

  test('WHEN the inventory reads authorization details THEN inline and trust documents equal the originals, "%20" included', async () => {
    await fixture.iam.send(new CreateRoleCommand({ RoleName: 'nightly-report', AssumeRolePolicyDocument: TRUST_DOCUMENT }));

    const details = await readAuthorizationDetails(fixture.iam);

    expect(details.users.find((user) => user.name === 'vera')?.inlinePolicyDocuments).toEqual({ reports: INLINE_DOCUMENT });
    expect(details.roles.find((role) => role.name === 'nightly-report')?.trustPolicy).toBe(TRUST_DOCUMENT);
  });

  test('WHEN the user is deleted and restored THEN the backup and the restored policy equal the original byte for byte', async () => {
    const deleted = await executeAction(await plannedAction(fixture.iam, 'vera', 'delete'), fixture.context());
    expect(storedInlineDocument()).toBeUndefined();

    expect(readBackup(deleted.backupFile!).user.inlinePolicies).toEqual([{ name: 'reports', document: INLINE_DOCUMENT }]);

    await restoreUser(fixture.clients, deleted.backupFile!, fixture.audit(), { retry: FAST_RETRY });
    expect(storedInlineDocument()).toBe(INLINE_DOCUMENT);
  });
});
