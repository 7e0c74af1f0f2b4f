import { runAction } from './run';

/** Entry point of bin/iam-allowlist-action.js. */
export function main(): void {
  runAction({ env: process.env, cwd: process.cwd(), log: (text) => process.stdout.write(text) }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stdout.write(`::error title=iam-allowlist::${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main();
