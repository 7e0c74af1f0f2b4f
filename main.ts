// This repository's own cdktf app: a consumer of the package's public API like any team's main.ts
// (examples/consumer/main.ts), importing the sources instead of 'iam-allowlist'. Settings come from
// the environment (see optionsFromEnvironment): IAM_ALLOWLIST_FILE, IAM_ALLOWLIST_SNAPSHOT, ...
import { App } from 'cdktf';
import { IamAllowlistStack, optionsFromEnvironment } from './src';

async function main(): Promise<void> {
  const app = new App({ skipValidation: true });
  await IamAllowlistStack.fromAccount(app, 'iam-allowlist', optionsFromEnvironment());
  app.synth();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  process.exitCode = 1;
});
