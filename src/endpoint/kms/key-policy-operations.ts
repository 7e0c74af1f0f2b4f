import { KmsCallContext, requireCustomerManaged } from './context';
import { kmsErrors } from './errors';
import { resolveKey } from './identifiers';
import { integerInRange, optionalBoolean, optionalString, RequestBody, requiredString } from './params';
import { validateKeyPolicy } from './policies';

/** A key has exactly one policy, named "default". */
const POLICY_NAME = 'default';

function requireDefaultPolicyName(body: RequestBody): void {
  const policyName = optionalString(body, 'PolicyName') ?? POLICY_NAME;
  if (policyName !== POLICY_NAME) throw kmsErrors.notFound(`No such policy exists: ${policyName}`);
}

export function getKeyPolicy(context: KmsCallContext, body: RequestBody): unknown {
  const key = resolveKey(context, requiredString(body, 'KeyId'), 'keyIdOrArn');
  requireDefaultPolicyName(body);
  return { Policy: key.policy, PolicyName: POLICY_NAME };
}

/** The lockout safety check (BypassPolicyLockoutSafetyCheck) is not simulated. */
export function putKeyPolicy(context: KmsCallContext, body: RequestBody): unknown {
  const key = resolveKey(context, requiredString(body, 'KeyId'), 'keyIdOrArn');
  requireDefaultPolicyName(body);
  const policy = requiredString(body, 'Policy');
  optionalBoolean(body, 'BypassPolicyLockoutSafetyCheck');
  requireCustomerManaged(context, key, 'PutKeyPolicy');
  validateKeyPolicy(policy);
  key.policy = policy;
  return {};
}

export function listKeyPolicies(context: KmsCallContext, body: RequestBody): unknown {
  resolveKey(context, requiredString(body, 'KeyId'), 'keyIdOrArn');
  integerInRange(body, 'Limit', 1, 1000, 100);
  return { PolicyNames: [POLICY_NAME], Truncated: false };
}
