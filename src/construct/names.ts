import { createHash } from 'crypto';
import { InternalError } from '../errors';

/** Characters IAM allows in a user name (`[\w+=,.@-]+`, at most 64). */
const IAM_USER_NAME = /^[A-Za-z0-9_+=,.@-]{1,64}$/;

/** Characters Terraform allows in a resource or check block name besides the first letter. */
const NOT_TERRAFORM_NAME_CHAR = /[^A-Za-z0-9_-]/g;

/**
 * Refuses a user name IAM itself would never produce. Names end up inside Terraform expressions
 * (`local.guard_findings["<name>"]`), so anything outside IAM's alphabet is a bug upstream.
 */
export function assertIamUserName(name: string): void {
  if (!IAM_USER_NAME.test(name)) {
    throw new InternalError(`not a valid IAM user name: ${JSON.stringify(name)}`);
  }
}

/**
 * A Terraform block name for a user: `<prefix>_<name>` with characters Terraform does not allow
 * replaced by "_". Replacing can make two IAM names collide ("a.b" and "a_b"), so a name that had
 * to be changed also gets the first 8 hex digits of its SHA-256: unique, and stable across runs.
 */
export function blockNameForUser(prefix: string, userName: string): string {
  assertIamUserName(userName);
  const sanitized = userName.replace(NOT_TERRAFORM_NAME_CHAR, '_');
  if (sanitized === userName) return `${prefix}_${userName}`;
  const digest = createHash('sha256').update(userName, 'utf8').digest('hex').slice(0, 8);
  return `${prefix}_${sanitized}_${digest}`;
}

/** What a user's terraform_data stands for. */
export type UserAction = 'delete' | 'quarantine';

/**
 * The address of a user's terraform_data names what applying it does: `delete_user_<name>` or
 * `quarantine_user_<name>` (a reviewer reads "delete_user_old-admin will be created" in the plan).
 */
export function resourceNameForAction(action: UserAction, userName: string): string {
  return blockNameForUser(`${action}_user`, userName);
}

/**
 * The address every action had before the addresses named it (`user_<name>`): a `moved` block carries
 * a state recorded there to resourceNameForAction, so an upgrade neither destroys nor re-creates anything.
 */
export function legacyResourceName(userName: string): string {
  return blockNameForUser('user', userName);
}

/**
 * Terraform's JSON syntax reads every string as a template: a literal "${" or "%{" (in a reason,
 * a notice, a file path) would be evaluated. Doubling the opener makes it literal again.
 */
export function escapeTemplate(text: string): string {
  return text.replace(/([$%])\{/g, (_match, opener: string) => `${opener}${opener}{`);
}

/** escapeTemplate applied to every string (values and keys) of a JSON-like value. */
export function escapeTemplateDeep<T>(value: T): T {
  if (typeof value === 'string') return escapeTemplate(value) as T;
  if (Array.isArray(value)) return value.map((item) => escapeTemplateDeep(item)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      out[escapeTemplate(key)] = escapeTemplateDeep(item);
    }
    return out as T;
  }
  return value;
}

/** Code-unit order: unlike localeCompare it does not depend on the machine's locale (deterministic synth). */
export { compareText as compareStrings } from '../util/text';
