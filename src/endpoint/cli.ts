import { startEndpoint } from './server';
import type { LocalEndpoint } from './api';

export interface SandboxCommandOptions {
  /** Port on 127.0.0.1; 0 (default) picks any free port. */
  readonly port?: number;
  /** Start with an empty account instead of the sandbox account. Default false. */
  readonly empty?: boolean;
  /** Where the export lines go. Default: stdout. */
  readonly write?: (line: string) => void;
  /** Resolves to stop serving (tests). Default: the first SIGINT or SIGTERM. */
  readonly until?: Promise<void>;
}

function firstSignal(): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/**
 * `iam-allowlist sandbox`: serves the local endpoint and prints the variables that point the
 * SDK, the CLI and Terraform at it, until interrupted; then stops cleanly.
 */
export async function runSandboxCommand(options: SandboxCommandOptions = {}): Promise<LocalEndpoint> {
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const endpoint = await startEndpoint({ port: options.port ?? 0, seed: options.empty ? 'empty' : 'sandbox' });
  write(`# Local AWS-compatible endpoint (IAM, STS, KMS, Account) for account ${endpoint.accountId}.`);
  write('# The credentials below are placeholders; the endpoint does not check signatures.');
  for (const line of endpoint.exportLines()) write(line);
  write('# Serving until Ctrl-C.');
  await (options.until ?? firstSignal());
  await endpoint.stop();
  write('# Endpoint stopped.');
  return endpoint;
}
