/**
 * The apply header and prompt (issue 14 item 4): apply shows the plan with the run facts (caller, alias, endpoint
 * override) and its confirmation prompt names the account, from the compiled CLI against the sandbox endpoint.
 */
import * as fs from 'fs';
import * as path from 'path';
import { sampleAllowlistText, tempDir, useSandboxAccount } from './helpers';
import { sandboxCli } from './sandbox-cli';

const sandbox = useSandboxAccount();
const cli = sandboxCli(sandbox);

it('GIVEN removals pending WHEN apply asks THEN the header names caller and override and the prompt names account and alias', async () => {
  const dir = tempDir('apply-header');
  const allowlist = path.join(dir, 'allowlist.yaml');
  fs.writeFileSync(allowlist, sampleAllowlistText('hold'));

  const result = await cli(dir, ['apply', '-a', allowlist]);

  expect(result.status).toBe(1);
  const header = result.stdout.split('\n').slice(0, 3);
  expect(header[0]).toBe('iam-allowlist plan for account 111122223333 (alias iam-allowlist-sandbox)');
  expect(header[1]).toMatch(/^ {2}caller arn:aws:iam::111122223333:user\/\S+$/);
  expect(header[2]).toBe(`  endpoint override: AWS_ENDPOINT_URL=${sandbox.ep.url}`);
  expect(result.stdout).toContain(
    "Carry out these 4 actions in account 111122223333 (alias iam-allowlist-sandbox)? Only 'yes' will be accepted:",
  );
});
