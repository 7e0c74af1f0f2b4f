import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';

/**
 * The SDK clients of one run: one shared IAM client, one STS client, one KMS client per region.
 * Adaptive retry mode keeps a client-side rate limiter per client, so the KMS client of each
 * region throttles itself against that region's quotas and IAM against the account-wide limit.
 *
 * Endpoints come from the SDK's own configuration (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_IAM,
 * AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL_STS, profiles); this module adds no flag of its own.
 */
export interface AwsClientsOptions {
  /** Region used for the global services (IAM, STS) and as the default. Default: AWS_REGION or us-east-1. */
  readonly region?: string;
  /** Attempts per call including the first. Default 8: throttling storms must not turn into failures. */
  readonly maxAttempts?: number;
}

export class AwsClients {
  readonly region: string;
  readonly iam: IAMClient;
  readonly sts: STSClient;
  private readonly maxAttempts: number;
  private readonly kmsByRegion = new Map<string, KMSClient>();

  constructor(options: AwsClientsOptions = {}) {
    this.region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    this.maxAttempts = options.maxAttempts ?? 8;
    const common = { region: this.region, maxAttempts: this.maxAttempts, retryMode: 'adaptive' as const };
    this.iam = new IAMClient(common);
    this.sts = new STSClient(common);
  }

  kms(region: string): KMSClient {
    let client = this.kmsByRegion.get(region);
    if (!client) {
      client = new KMSClient({ region, maxAttempts: this.maxAttempts, retryMode: 'adaptive' });
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
