import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { PersistentAdaptiveRetryStrategy, type RetryTiming } from './retry';

/**
 * The SDK clients of one run: one shared IAM client, one STS client, one KMS client per region.
 * Adaptive retry keeps a client-side rate limiter per client, so the KMS client of each region
 * throttles itself against that region's quotas and IAM against the account-wide limit (see
 * PersistentAdaptiveRetryStrategy for why retries outlast the SDK's retry quota).
 *
 * Endpoints come from the SDK's own configuration (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_IAM,
 * AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL_STS, profiles); this module adds no flag of its own.
 */
export interface AwsClientsOptions {
  /** Region used for the global services (IAM, STS) and as the default. Default: AWS_REGION or us-east-1. */
  readonly region?: string;
  /** Attempts per call including the first. Default 10: throttling storms must not turn into failures. */
  readonly maxAttempts?: number;
  /**
   * Assume this role (in the target account) with the ambient credentials first. One base identity
   * can then reach every account of an organisation, one stack per account.
   */
  readonly assumeRoleArn?: string;
  /** How long retries wait. Default: the SDK's own backoff and rate limiting; only tests shorten it (see RetryTiming). */
  readonly retryTiming?: RetryTiming;
}

export class AwsClients {
  readonly region: string;
  readonly iam: IAMClient;
  readonly sts: STSClient;
  private readonly maxAttempts: number;
  private readonly retryTiming: RetryTiming | undefined;
  /** Credentials of the assumed role, shared by every client; undefined: the SDK's default chain. */
  readonly credentials: ReturnType<typeof fromTemporaryCredentials> | undefined;
  private readonly kmsByRegion = new Map<string, KMSClient>();

  constructor(options: AwsClientsOptions = {}) {
    this.region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    this.maxAttempts = options.maxAttempts ?? 10;
    this.retryTiming = options.retryTiming;
    this.credentials = options.assumeRoleArn
      ? fromTemporaryCredentials({
          params: { RoleArn: options.assumeRoleArn, RoleSessionName: 'iam-allowlist' },
          clientConfig: { region: this.region },
        })
      : undefined;
    const common = { region: this.region, retryStrategy: this.retryStrategy(), credentials: this.credentials };
    this.iam = new IAMClient(common);
    this.sts = new STSClient(common);
  }

  /** A strategy per client: the adaptive rate limiter must learn each client's own throttling. */
  retryStrategy(): PersistentAdaptiveRetryStrategy {
    return new PersistentAdaptiveRetryStrategy(this.maxAttempts, this.retryTiming);
  }

  kms(region: string): KMSClient {
    let client = this.kmsByRegion.get(region);
    if (!client) {
      client = new KMSClient({ region, retryStrategy: this.retryStrategy(), credentials: this.credentials });
      this.kmsByRegion.set(region, client);
    }
    return client;
  }

  destroy(): void {
    this.iam.destroy();
    this.sts.destroy();
    for (const c of this.kmsByRegion.values()) c.destroy();
  }
}
