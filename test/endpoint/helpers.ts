import { AccountClient } from '@aws-sdk/client-account';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';
import type { LocalEndpoint } from '../../src/endpoint';

export interface ClientOptions {
  readonly region?: string;
  readonly maxAttempts?: number;
}

function config(ep: LocalEndpoint, options: ClientOptions) {
  return {
    endpoint: ep.url,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'not-a-secret' },
    maxAttempts: options.maxAttempts ?? 3,
  };
}

export const iamClient = (ep: LocalEndpoint, o: ClientOptions = {}) => new IAMClient(config(ep, o));
export const stsClient = (ep: LocalEndpoint, o: ClientOptions = {}) => new STSClient(config(ep, o));
export const kmsClient = (ep: LocalEndpoint, o: ClientOptions = {}) => new KMSClient(config(ep, o));
export const accountClient = (ep: LocalEndpoint, o: ClientOptions = {}) => new AccountClient(config(ep, o));

/** The SDK error of a call that must fail (the test fails if it succeeds). */
export async function failureOf(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
