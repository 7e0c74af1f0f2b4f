import { AccountClient } from '@aws-sdk/client-account';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';
import { startEndpoint } from '../../src/endpoint';
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

/** The endpoint and IAM client shared by the tests of one `describe` block. */
export interface IamEndpointContext {
  readonly ep: LocalEndpoint;
  readonly iam: IAMClient;
}

/**
 * Registers the jest hooks of an IAM test file: start an empty endpoint and an IAM client once (beforeAll), destroy
 * and stop them (afterAll), and before each test reset the endpoint to empty and then run `seedEach` (default: none).
 * The returned context can only be read inside hooks and tests, once the endpoint has started.
 */
export function useIamEndpoint(seedEach?: (context: IamEndpointContext) => void | Promise<void>): IamEndpointContext {
  let started: IamEndpointContext | undefined;
  const current = (): IamEndpointContext => {
    if (!started) throw new Error('the IAM endpoint is read before beforeAll started it');
    return started;
  };
  const context: IamEndpointContext = {
    get ep() {
      return current().ep;
    },
    get iam() {
      return current().iam;
    },
  };

  beforeAll(async () => {
    const ep = await startEndpoint({ seed: 'empty' });
    started = { ep, iam: iamClient(ep) };
  });
  afterAll(async () => {
    if (!started) return;
    started.iam.destroy();
    await started.ep.stop();
    started = undefined;
  });
  beforeEach(async () => {
    context.ep.reset('empty');
    await seedEach?.(context);
  });
  return context;
}
