import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyGlobalOptions, cliVersion } from '../../src/cli/global-options';
import { colorWanted, configureOutput, normaliseArgv, outputSettings } from '../../src/cli/output';
import { validateRoleArn } from '../../src/aws/role-arn';
import { describeEndpoint, endpointOverrides } from '../../src/aws/endpoints';
import { UsageError } from '../../src/errors';

describe('colorWanted', () => {
  it('GIVEN a terminal and nothing else WHEN asked THEN colour', () => {
    expect(colorWanted({ isTTY: true }, {}, false)).toBe(true);
  });

  it('GIVEN a pipe, NO_COLOR or --no-color WHEN asked THEN no colour (an empty NO_COLOR does not count)', () => {
    expect(colorWanted({ isTTY: false }, {}, false)).toBe(false);
    expect(colorWanted({}, {}, false)).toBe(false);
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '1' }, false)).toBe(false);
    expect(colorWanted({ isTTY: true }, {}, true)).toBe(false);
    expect(colorWanted({ isTTY: true }, { NO_COLOR: '' }, false)).toBe(true);
  });
});

describe('normaliseArgv', () => {
  it("GIVEN Terraform's -no-color spelling WHEN normalised THEN --no-color; other arguments unchanged", () => {
    expect(normaliseArgv(['node', 'cli', 'plan', '-no-color', '-a', 'x'])).toEqual(['node', 'cli', 'plan', '--no-color', '-a', 'x']);
  });
});

describe('applyGlobalOptions', () => {
  afterEach(() => configureOutput({ quiet: false, color: false, stderrColor: false }));

  it('GIVEN --profile, --region and --quiet WHEN applied THEN AWS_PROFILE and AWS_REGION are set for the SDK and output is quiet', () => {
    const env: NodeJS.ProcessEnv = { AWS_REGION: 'us-east-1' };
    applyGlobalOptions({ profile: 'prod', region: 'eu-west-1', quiet: true, color: false }, env);
    expect(env).toEqual({ AWS_PROFILE: 'prod', AWS_REGION: 'eu-west-1' });
    expect(outputSettings()).toEqual({ quiet: true, color: false, stderrColor: false });
  });

  it("GIVEN the sources WHEN the version is asked THEN it is the package.json's", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(cliVersion()).toBe(manifest.version);
    expect(cliVersion(os.tmpdir())).toBe('unknown');
  });
});

describe('validateRoleArn', () => {
  it.each(['arn:aws:iam::111122223333:role/iam-allowlist', 'arn:aws-us-gov:iam::111122223333:role/ops/team/deployer+x=,.@-'])(
    'GIVEN the role ARN %s WHEN checked THEN accepted',
    (arn) => expect(validateRoleArn(arn)).toBe(arn),
  );

  it.each([
    'not-an-arn',
    'arn:aws:iam::111122223333:user/alice',
    'arn:aws:iam::1111:role/x',
    'arn:aws:sts::111122223333:assumed-role/x/y',
    'arn:aws:iam::111122223333:role/',
    'arn:aws:iam::111122223333:role//x',
  ])('GIVEN %s WHEN checked THEN a UsageError naming the flag and the expected form', (value) => {
    expect(() => validateRoleArn(value)).toThrow(UsageError);
    expect(() => validateRoleArn(value)).toThrow(/--assume-role .* is not an IAM role ARN/);
  });
});

describe('endpoint overrides', () => {
  const env = { AWS_ENDPOINT_URL: 'http://localhost:4566', AWS_ENDPOINT_URL_KMS: 'https://kms.example', AWS_ENDPOINT_URL_S3: 'x' };

  it('GIVEN AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_KMS WHEN listed THEN both, in order; other services are left out', () => {
    expect(endpointOverrides(env)).toEqual([
      { variable: 'AWS_ENDPOINT_URL', url: 'http://localhost:4566' },
      { variable: 'AWS_ENDPOINT_URL_KMS', url: 'https://kms.example' },
    ]);
    expect(endpointOverrides({ ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toEqual([]);
  });

  it('GIVEN overrides WHEN a service endpoint is described THEN its own variable first, then the general one, else AWS', () => {
    expect(describeEndpoint('KMS', env)).toBe('https://kms.example (AWS_ENDPOINT_URL_KMS)');
    expect(describeEndpoint('STS', env)).toBe('http://localhost:4566 (AWS_ENDPOINT_URL)');
    expect(describeEndpoint('STS', {})).toBe('the AWS STS endpoint');
  });
});
