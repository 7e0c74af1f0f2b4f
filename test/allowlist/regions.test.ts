/** guards.regions names and guards.unscannedRegions: validation against the known AWS region names. */
import { partition } from '@aws-sdk/core/client';
import { AWS_REGION_NAMES, AWS_REGIONS_BY_PARTITION, isAwsRegionName } from '../../src/allowlist/aws-regions';
import { errorsOf, load, positions, yamlLines } from './helpers';

const withRegions = (regions: string): string => yamlLines('version: 1', 'guards:', `  regions: ${regions}`, 'users: []');

describe('guards.regions names', () => {
  test('GIVEN a region name missing its last dash WHEN loaded THEN invalid-region at file:line:col with the nearest valid name', () => {
    const errors = errorsOf(withRegions('[us-east-1, eu-west1]'));
    expect(positions(errors)).toEqual([['invalid-region', 3, 24]]);
    expect(errors[0]).toMatchObject({ file: 'allowlist.yaml', message: '"eu-west1" at guards.regions[1] is not an AWS region name' });
    expect(errors[0]?.fix).toBe('did you mean eu-west-1?');
  });

  test('GIVEN a well-formed name of a region that does not exist (eu-west-4) WHEN loaded THEN invalid-region with a suggestion', () => {
    const errors = errorsOf(withRegions('[eu-west-4]'));
    expect(positions(errors)).toEqual([['invalid-region', 3, 13]]);
    expect(errors[0]?.fix).toMatch(/^did you mean eu-west-[123]\?$/);
  });

  test('GIVEN a transposed name (eu-wset-1) WHEN loaded THEN the fix names eu-west-1', () => {
    expect(errorsOf(withRegions('[eu-wset-1]'))[0]?.fix).toBe('did you mean eu-west-1?');
  });

  test('GIVEN a word nothing like a region WHEN loaded THEN invalid-region with examples instead of a guess', () => {
    const errors = errorsOf(withRegions('[somewhere-over-the-rainbow]'));
    expect(errors.map((e) => e.code)).toEqual(['invalid-region']);
    expect(errors[0]?.fix).toBe('use region names such as us-east-1, eu-west-1, ap-southeast-2');
  });

  test('GIVEN one region of every partition WHEN loaded THEN accepted', () => {
    const regions = [
      'us-east-1',
      'cn-northwest-1',
      'us-gov-west-1',
      'us-iso-east-1',
      'us-isob-east-1',
      'eu-isoe-west-1',
      'us-isof-south-1',
    ];
    expect(load(withRegions(`[${regions.join(', ')}]`)).allowlist.guards.regions).toEqual(regions);
  });

  test('GIVEN regions: everywhere WHEN loaded THEN invalid-region (keyed by the guards.regions pointer) explaining both forms', () => {
    const errors = errorsOf(withRegions('everywhere'));
    expect(positions(errors)).toEqual([['invalid-region', 3, 12]]);
    expect(errors[0]?.message).toContain('`all` or a list of region names');
  });
});

describe('guards.unscannedRegions', () => {
  test('GIVEN no unscannedRegions WHEN loaded THEN the default is hold', () => {
    expect(load(withRegions('[us-east-1]')).allowlist.guards.unscannedRegions).toBe('hold');
  });

  test('GIVEN unscannedRegions: allow WHEN loaded THEN carried over', () => {
    const text = yamlLines('version: 1', 'guards:', '  regions: [us-east-1]', '  unscannedRegions: allow', 'users: []');
    expect(load(text).allowlist.guards.unscannedRegions).toBe('allow');
  });

  test('GIVEN unscannedRegions: allwo WHEN loaded THEN invalid-value (not invalid-region) suggesting allow', () => {
    const errors = errorsOf(yamlLines('version: 1', 'guards:', '  unscannedRegions: allwo', 'users: []'));
    expect(positions(errors)).toEqual([['invalid-value', 3, 21]]);
    expect(errors[0]?.fix).toBe('did you mean `allow`?');
  });
});

describe('the region data module', () => {
  test('GIVEN every listed region WHEN asked to the installed AWS SDK THEN it is a known region of the partition it is listed under', () => {
    const wrong = Object.entries(AWS_REGIONS_BY_PARTITION).flatMap(([name, regions]) =>
      regions.filter((region) => {
        const info = partition(region) as { name: string; description?: string };
        return info.name !== name || info.description === undefined;
      }),
    );
    expect(wrong).toEqual([]);
    expect(AWS_REGION_NAMES.length).toBeGreaterThanOrEqual(40);
  });

  test('GIVEN names WHEN checked THEN only exact lower-case region names are known', () => {
    expect(isAwsRegionName('eu-west-1')).toBe(true);
    expect(isAwsRegionName('EU-WEST-1')).toBe(false);
    expect(isAwsRegionName('aws-global')).toBe(false);
  });
});
