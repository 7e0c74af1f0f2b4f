import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws/clients';
import { isUnreachableEndpointError } from '../aws/connection-errors';
import { describeEndpoint } from '../aws/endpoints';
import { AwsError, awsErrorCode, UsageError } from '../errors';
import type { CallerIdentity } from '../model/snapshot';
import { callerIdentityFromArn } from './arn';

/**
 * Who is running the tool. Unlike other reads this one cannot fail softly: without it there is no
 * account id to pin and no caller to protect, so it throws AwsError.
 */
export async function readCallerIdentity(sts: STSClient): Promise<CallerIdentity> {
  try {
    const answer = await sts.send(new GetCallerIdentityCommand({}));
    if (!answer.Account || !answer.Arn || !answer.UserId) {
      throw new Error('GetCallerIdentity answered without Account, Arn or UserId');
    }
    return callerIdentityFromArn(answer.Account, answer.Arn, answer.UserId);
  } catch (err) {
    // No region configured: the region chain's own UsageError, not an AWS failure.
    if (err instanceof UsageError) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    if (isUnreachableEndpointError(err)) {
      throw new AwsError(
        `cannot reach ${describeEndpoint('STS', process.env)} to identify the caller (sts:GetCallerIdentity): ${detail}. ` +
          'Nothing was read or changed. Check the endpoint URL and that the service is up, or the network and proxy settings',
        awsErrorCode(err) ?? 'Error',
        'GetCallerIdentity',
        err,
      );
    }
    throw new AwsError(
      `cannot identify the caller (sts:GetCallerIdentity): ${detail}`,
      awsErrorCode(err) ?? 'Error',
      'GetCallerIdentity',
      err,
    );
  }
}

/**
 * With --assume-role: the identity that owns the base credentials (the SDK's default chain) that assume
 * the role — e.g. the CI user. Read with its own plain STS client (same region and retry strategy)
 * because every client of AwsClients uses the assumed role's credentials.
 */
export async function readBaseCallerIdentity(clients: AwsClients): Promise<CallerIdentity> {
  const sts = new STSClient(clients.clientConfig({ baseCredentials: true }));
  try {
    return await readCallerIdentity(sts);
  } finally {
    sts.destroy();
  }
}
