import type { Construct } from 'constructs';
import type { TerraformResource } from 'cdktf';
import { UsageError } from '../errors';
import type { Allowlist, DeclaredUser } from '../model/allowlist';
import type { Plan } from '../model/plan';
import { blockNameForUser, compareStrings, escapeTemplate } from './names';

export interface DeclaredUsersProps {
  readonly plan: Plan;
  readonly allowlist: Allowlist;
  /** Role the AWS provider assumes. Default: none (the ambient credentials). */
  readonly assumeRoleArn?: string;
  /** Region of the provider; IAM is global, this only picks the endpoint. Default "us-east-1". */
  readonly providerRegion?: string;
}

/** IAM tag values allow letters, digits, whitespace and `_ . : / = + - @`, at most 256 characters. */
export function iamTagValue(text: string): string {
  return text
    .replace(/[^\p{L}\p{N}\s_.:/=+\-@]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 256);
}

/** Declared users worth managing: not expired, and not something the plan treats as undeclared. */
export function usersToManage(plan: Plan, allowlist: Allowlist): DeclaredUser[] {
  const today = plan.plannedAt.slice(0, 10);
  const planned = new Map(plan.users.map((u) => [u.name.toLowerCase(), u]));
  return allowlist.users
    .filter((declared) => declared.expires === null || declared.expires >= today)
    .filter((declared) => planned.get(declared.name.toLowerCase())?.declared !== false)
    .sort((a, b) => compareStrings(a.name, b.name));
}

/**
 * Opt-in: one aws_iam_user per declared user, tagged with owner and reason, imported when it
 * already exists (so the first apply adopts rather than creates it) and protected from deletion
 * both by Terraform (prevent_destroy) and by IAM (force_destroy false: no credential is wiped).
 * Needs the AWS provider, which `terraform init` must be able to download, and the optional peer
 * dependency @cdktf/provider-aws, loaded only here so that the default install does without it.
 */
export function addDeclaredUsers(scope: Construct, props: DeclaredUsersProps): TerraformResource[] {
  const { AwsProvider, IamUser } = loadAwsProvider();
  new AwsProvider(scope, 'aws', {
    region: props.providerRegion ?? 'us-east-1',
    assumeRole: props.assumeRoleArn ? [{ roleArn: props.assumeRoleArn }] : undefined,
  });
  const existing = new Map(props.plan.users.map((u) => [u.name.toLowerCase(), u]));
  return usersToManage(props.plan, props.allowlist).map((declared) => {
    const name = blockNameForUser('declared', declared.name);
    const live = existing.get(declared.name.toLowerCase());
    const user = new IamUser(scope, name, {
      // Keep the live spelling: IAM names are case-insensitive, and a rename would be a replacement.
      name: live?.name ?? declared.name,
      path: declared.path,
      forceDestroy: false,
      tags: { owner: escapeTemplate(iamTagValue(declared.owner)), reason: escapeTemplate(iamTagValue(declared.reason)) },
      lifecycle: { preventDestroy: true },
    });
    user.overrideLogicalId(name);
    if (live !== undefined) user.importFrom(live.name);
    return user;
  });
}

type AwsProviderModules = typeof import('@cdktf/provider-aws/lib/provider') & typeof import('@cdktf/provider-aws/lib/iam-user');

function loadAwsProvider(): AwsProviderModules {
  try {
    // Constructs are synchronous, so a synchronous require; only this opt-in feature needs the package.
    /* eslint-disable @typescript-eslint/no-require-imports */
    return { ...require('@cdktf/provider-aws/lib/provider'), ...require('@cdktf/provider-aws/lib/iam-user') } as AwsProviderModules;
  } catch (err) {
    if ((err as { code?: string }).code !== 'MODULE_NOT_FOUND') throw err;
    throw new UsageError(
      'managing declared users (manageDeclaredUsers / IAM_ALLOWLIST_MANAGE_USERS=1) needs the package @cdktf/provider-aws',
      'npm install --save-dev @cdktf/provider-aws@~21.22.1 in the project that synthesizes the stack, or leave the option off',
    );
  }
}
