import * as path from 'path';
import { App } from 'cdktf';
import { addAccountStacks, type AccountStackProps } from './accounts';

export const DEFAULT_STACK_NAME = 'iam-allowlist';

export interface SynthesizeOptions extends AccountStackProps {
  /** Where cdktf writes (manifest.json, stacks/<name>/cdk.tf.json). Default: CDKTF_OUTDIR or "cdktf.out". */
  readonly outdir?: string;
}

export interface SynthesizeAccountsOptions {
  readonly outdir?: string;
  readonly accounts: readonly AccountStackProps[];
}

export interface SynthesizedStack {
  readonly name: string;
  /** Directory terraform runs in. */
  readonly directory: string;
  /** The Terraform JSON configuration. */
  readonly file: string;
}

export interface SynthesisResult {
  readonly outdir: string;
  readonly stacks: readonly SynthesizedStack[];
}

/** One account: the stack is named "iam-allowlist" unless stackName says otherwise. */
export function synthesize(options: SynthesizeOptions): SynthesisResult {
  const { outdir, ...account } = options;
  return synthesizeAccounts({ outdir, accounts: [{ ...account, stackName: account.stackName ?? DEFAULT_STACK_NAME }] });
}

/** Several accounts, one stack each (see addAccountStacks). */
export function synthesizeAccounts(options: SynthesizeAccountsOptions): SynthesisResult {
  // skipValidation: validation would shell out to `terraform version` for terraform_data; synthesis
  // must work where no terraform binary is installed (CI that only renders the plan).
  const app = new App({ outdir: options.outdir, skipValidation: true });
  const stacks = addAccountStacks(app, options.accounts);
  app.synth();
  return {
    outdir: app.outdir,
    stacks: stacks.map((stack) => {
      const directory = path.join(app.outdir, 'stacks', stack.node.id);
      return { name: stack.node.id, directory, file: path.join(directory, 'cdk.tf.json') };
    }),
  };
}
