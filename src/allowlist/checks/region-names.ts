import { isAwsRegionName, AWS_REGION_NAMES } from '../aws-regions';
import { isRecord, showValue } from '../data-path';
import type { Diagnostic } from '../diagnostics';
import { nearest } from '../suggest';
import { type AllowlistCheck, diagnosticAt } from './check';

/**
 * Every entry of a guards.regions list is an AWS region name (src/allowlist/aws-regions.ts): a typo would
 * otherwise scan a region that does not exist and leave the intended one out.
 */
export const regionNames: AllowlistCheck = (context) => {
  const guards = isRecord(context.data) ? context.data['guards'] : undefined;
  const regions = isRecord(guards) ? guards['regions'] : undefined;
  if (!Array.isArray(regions)) return [];
  const diagnostics: Diagnostic[] = [];
  regions.forEach((region: unknown, index) => {
    if (typeof region !== 'string' || isAwsRegionName(region)) return;
    const suggestion = nearest(region, AWS_REGION_NAMES);
    diagnostics.push(
      diagnosticAt(
        context,
        ['guards', 'regions', index],
        'value',
        'error',
        'invalid-region',
        `${showValue(region)} at guards.regions[${index}] is not an AWS region name`,
        suggestion ? `did you mean ${suggestion}?` : 'use region names such as us-east-1, eu-west-1, ap-southeast-2',
      ),
    );
  });
  return diagnostics;
};
