import { App } from 'cdktf';
import { IamAllowlistStack, optionsFromEnvironment } from 'iam-allowlist';

async function main(): Promise<void> {
  const app = new App({ skipValidation: true });
  await IamAllowlistStack.fromAccount(app, 'iam-allowlist', { allowlistFile: 'allowlist.yaml', ...optionsFromEnvironment() });
  app.synth();
}

main().catch((err: unknown) => {
  console.error(String(err));
  process.exitCode = 1;
});
