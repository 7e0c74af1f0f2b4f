import { AwsClients } from '../../src/aws/clients';
import { startEndpoint, type LocalEndpoint } from '../../src/endpoint/index';

export interface SandboxEndpoint {
  readonly ep: LocalEndpoint;
  readonly clients: AwsClients;
}

/**
 * Registers the jest hooks of an inventory integration test file: one sandbox endpoint for the file, its
 * AWS_ENDPOINT_URL* variables in process.env (restored afterwards), AwsClients built from them, and counters
 * reset and faults cleared around each test.
 */
export function useSandboxEndpoint(): SandboxEndpoint {
  let started: { ep: LocalEndpoint; clients: AwsClients } | undefined;
  const savedEnv = { ...process.env };
  const current = (): { ep: LocalEndpoint; clients: AwsClients } => {
    if (!started) throw new Error('the sandbox endpoint is read before beforeAll started it');
    return started;
  };
  beforeAll(async () => {
    const ep = await startEndpoint({ seed: 'sandbox' });
    Object.assign(process.env, ep.env());
    started = { ep, clients: new AwsClients() };
  });
  afterAll(async () => {
    started?.clients.destroy();
    await started?.ep.stop();
    started = undefined;
    process.env = savedEnv;
  });
  beforeEach(() => current().ep.resetCounters());
  afterEach(() => current().ep.faults.clear());
  return {
    get ep() {
      return current().ep;
    },
    get clients() {
      return current().clients;
    },
  };
}
