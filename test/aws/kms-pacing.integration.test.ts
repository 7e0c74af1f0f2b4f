/**
 * KMS pacing against the local endpoint through the real SDK over HTTP: a region's scan under a ListGrants rate limit
 * gets no throttled answer when its client paces at that limit, and bounces off it without pacing. Throttled answers
 * are counted in the endpoint's request log, as the benchmark's PhaseMeter counts them.
 */
import { AwsClients, type AwsClientsOptions } from '../../src/aws/clients';
import { KMS_DOCUMENTED_REQUEST_QUOTAS } from '../../src/aws/request-pacer';
import { startEndpoint, type LocalEndpoint } from '../../src/endpoint';
import { scanKmsRegion } from '../../src/inventory/kms-region';
import { ScanErrorLog } from '../../src/inventory/scan-errors';
import { FAST_SDK_RETRY } from './fast-retry';

const REGION = 'eu-west-1';
const KEYS = 40;
/** ListGrants requests per second the endpoint allows (AWS's is 100; smaller keeps the test short). */
const LIST_GRANTS_RATE = 20;
/** Keys read at once, as the inventory's default. */
const CONCURRENCY = 8;

let ep: LocalEndpoint;
const savedEnv = { ...process.env };

beforeAll(async () => {
  ep = await startEndpoint({ seed: 'empty' });
  Object.assign(process.env, ep.env());
  const rootArn = `arn:aws:iam::${ep.accountId}:root`;
  for (let k = 0; k < KEYS; k++) {
    const key = ep.state.kms.createKey(REGION, { aliases: [`alias/app-${k}`] });
    ep.state.kms.createGrant(REGION, key.keyId, { granteePrincipal: rootArn, operations: ['Decrypt'], name: `grant-${k}` });
  }
});

afterAll(async () => {
  await ep?.stop();
  process.env = savedEnv;
});

afterEach(() => ep.faults.clear());

/** Scans REGION with a fresh set of clients under the endpoint's ListGrants limit; counts the throttled answers. */
async function scanUnderListGrantsLimit(kmsRequestQuotas: AwsClientsOptions['kmsRequestQuotas']) {
  ep.faults.setRateLimit('kms:ListGrants', LIST_GRANTS_RATE);
  ep.resetCounters();
  const clients = new AwsClients({ retryTiming: FAST_SDK_RETRY, kmsRequestQuotas });
  const errors = new ScanErrorLog();
  const started = Date.now();
  try {
    const facts = await scanKmsRegion(clients.kms(REGION), REGION, { concurrency: CONCURRENCY, errors });
    const listGrants = ep.requestLog().filter((entry) => entry.service === 'kms' && entry.operation === 'ListGrants');
    return {
      facts,
      errors: errors.count,
      seconds: (Date.now() - started) / 1000,
      listGrantsCalls: listGrants.length,
      throttled: listGrants.filter((entry) => entry.errorCode === 'ThrottlingException').length,
    };
  } finally {
    clients.destroy();
  }
}

test('GIVEN a ListGrants limit WHEN the client paces ListGrants at that limit THEN the scan gets no throttled answer', async () => {
  const run = await scanUnderListGrantsLimit({ ...KMS_DOCUMENTED_REQUEST_QUOTAS, ListGrants: LIST_GRANTS_RATE });

  expect(run.errors).toBe(0);
  expect(run.facts.keys).toHaveLength(KEYS);
  expect(run.facts.keys.every((key) => key.grants?.length === 1)).toBe(true);
  expect(run.listGrantsCalls).toBe(KEYS);
  expect(run.throttled).toBe(0);
  // Paced, not merely lucky: past the burst, the keys wait for the limit's rate.
  expect(run.seconds).toBeGreaterThanOrEqual((KEYS - LIST_GRANTS_RATE) / LIST_GRANTS_RATE);
});

test("GIVEN the same limit WHEN pacing is 'off' THEN the scan is throttled (and its retries still read every key)", async () => {
  const run = await scanUnderListGrantsLimit('off');

  expect(run.throttled).toBeGreaterThan(0);
  expect(run.listGrantsCalls).toBe(KEYS + run.throttled);
  expect(run.errors).toBe(0);
  expect(run.facts.keys).toHaveLength(KEYS);
});
