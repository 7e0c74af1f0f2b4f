/**
 * The public API of the iam-allowlist package (the `exports` map of package.json points here).
 * Everything else under dist/ is internal and may change in any release. The construct is
 * IamAllowlistStack only: it is the one that pins the planning build and writes a portable stack.
 */
export { IamAllowlistStack, discoverAccount, type DiscoveredAccount, type IamAllowlistOptions } from './construct/iam-allowlist-stack';
export { optionsFromEnvironment } from './construct/environment';
export { runningBuildId } from './commands/build-pin';
export { loadAllowlistFile, parseAllowlist, formatDiagnostics, AllowlistError, type LoadOptions, type LoadResult } from './allowlist/load';
export { AwsClients, type AwsClientsOptions } from './aws/clients';
export { takeSnapshot, type InventoryOptions } from './inventory/inventory';
export { loadSnapshot, saveSnapshot } from './inventory/snapshot-file';
export { plan, type PlanOptions } from './plan/plan';
export { exitCodeFor } from './plan/render/exit-code';
export { renderJson } from './plan/render/json';
export { renderMarkdown } from './plan/render/markdown';
export type { Allowlist, DeclaredUser } from './model/allowlist';
export type { GuardFinding, Plan, UserPlan } from './model/plan';
export type { Snapshot } from './model/snapshot';
export { AwsError, InternalError, RefusedError, UsageError } from './errors';
