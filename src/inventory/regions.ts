import { AccountClient, paginateListRegions } from '@aws-sdk/client-account';
import type { AwsClients } from '../aws/clients';
import { compareText } from '../util/text';

/**
 * The regions enabled for the account (opt-in status ENABLED or ENABLED_BY_DEFAULT), sorted by name,
 * through the Account API. Its endpoint comes from the SDK's configuration like every other client
 * (AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_ACCOUNT). Throws the SDK error on failure.
 */
export async function listEnabledRegions(clients: AwsClients): Promise<string[]> {
  const account = new AccountClient(clients.clientConfig());
  try {
    const regions: string[] = [];
    const pages = paginateListRegions({ client: account }, { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] });
    for await (const page of pages) {
      for (const region of page.Regions ?? []) if (region.RegionName) regions.push(region.RegionName);
    }
    return normaliseRegions(regions);
  } finally {
    account.destroy();
  }
}

/** Unique region names in name order. */
export function normaliseRegions(regions: readonly string[]): string[] {
  return [...new Set(regions.map((r) => r.trim()).filter((r) => r !== ''))].sort(compareText);
}
