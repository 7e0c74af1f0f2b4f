export { startEndpoint } from './server';
export type { CallerConfig, EndpointOptions, FaultControls, LocalEndpoint, RequestLogEntry } from './api';
export { ServiceError } from './errors';
export { EndpointState } from './state';
export type { AccountRegion, RegionOptStatus, ResolvedCaller } from './state';
export { IamAccount } from './iam/account';
export type { UserActivityInput } from './iam/account';
export type { AccessKeyUse } from './iam/model';
export { seedSandbox, SANDBOX_ACCOUNT_ID } from './sandbox';
