import { ServiceError } from './errors';
import type { EndpointState } from './state';

/**
 * The Account service's ListRegions (REST-JSON, POST /listRegions), which tells the inventory
 * which regions to scan. Other Account operations answer UnknownOperationException.
 */
export function handleAccount(state: EndpointState, path: string, body: Record<string, unknown>): unknown {
  if (path !== '/listRegions') throw new ServiceError('UnknownOperationException', `Unknown operation ${path}`, 404);
  const wanted = Array.isArray(body.RegionOptStatusContains) ? (body.RegionOptStatusContains as unknown[]).map(String) : undefined;
  const maxResults = typeof body.MaxResults === 'number' ? body.MaxResults : 20;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50) {
    throw new ServiceError('ValidationException', 'MaxResults must be between 1 and 50', 400);
  }
  const regions = [...state.regions]
    .sort((a, b) => (a.regionName < b.regionName ? -1 : 1))
    .filter((r) => wanted === undefined || wanted.includes(r.status));
  let start = 0;
  if (typeof body.NextToken === 'string') {
    start = Number(Buffer.from(body.NextToken, 'base64').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw new ServiceError('ValidationException', 'Invalid NextToken', 400);
  }
  const page = regions.slice(start, start + maxResults);
  const next = start + maxResults < regions.length ? Buffer.from(String(start + maxResults)).toString('base64') : undefined;
  return {
    Regions: page.map((r) => ({ RegionName: r.regionName, RegionOptStatus: r.status })),
    ...(next === undefined ? {} : { NextToken: next }),
  };
}
