import type { EndpointOverride } from '../model/snapshot';

/**
 * The endpoint overrides the SDK honours (AWS_ENDPOINT_URL for every service, AWS_ENDPOINT_URL_<SERVICE> for one)
 * for the services this tool calls, so the plan header and connection errors can name the endpoint in effect.
 */
export type ServiceName = 'IAM' | 'KMS' | 'STS' | 'ACCOUNT';

export const ENDPOINT_VARIABLES: readonly string[] = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_IAM',
  'AWS_ENDPOINT_URL_KMS',
  'AWS_ENDPOINT_URL_STS',
  'AWS_ENDPOINT_URL_ACCOUNT',
];

export type { EndpointOverride };

/** The overrides set in `env`, in ENDPOINT_VARIABLES order. The SDK ignores AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true ones. */
export function endpointOverrides(env: NodeJS.ProcessEnv): EndpointOverride[] {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return [];
  return ENDPOINT_VARIABLES.flatMap((variable) => {
    const url = env[variable]?.trim();
    return url ? [{ variable, url }] : [];
  });
}

/** "http://127.0.0.1:9 (AWS_ENDPOINT_URL_STS)", or "the AWS STS endpoint" when no override applies to the service. */
export function describeEndpoint(service: ServiceName, env: NodeJS.ProcessEnv): string {
  const overrides = endpointOverrides(env);
  const byVariable = (variable: string) => overrides.find((o) => o.variable === variable);
  const own = byVariable(`AWS_ENDPOINT_URL_${service}`) ?? byVariable('AWS_ENDPOINT_URL');
  return own ? `${own.url} (${own.variable})` : `the AWS ${service} endpoint`;
}
