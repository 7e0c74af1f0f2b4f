import { leastPrivilegePolicy } from '../executor';

/** Prints the least-privilege IAM policy for a plan (read-only) or for enforcement. */
export async function policyCommand(options: { readonly for?: 'plan' | 'enforce' | 'release' | 'restore' }): Promise<number> {
  process.stdout.write(JSON.stringify(leastPrivilegePolicy(options.for ?? 'plan'), null, 2) + '\n');
  return 0;
}
