import type { QueryParams } from '../protocol/query';
import type { XmlValue } from '../protocol/xml';
import type { IamState } from './store';

export interface IamCallContext {
  /** ARN of the configured caller (GetCallerIdentity's answer). */
  readonly callerArn: string;
  /** Set when the caller is an IAM user: GetUser without UserName answers this user. */
  readonly callerUserName?: string;
}

/** The members of `<XResult>`; undefined for operations that answer only ResponseMetadata. */
export type IamResult = { [key: string]: XmlValue } | undefined;

export interface IamOperation {
  /** Refused in read-only mode. */
  readonly mutating: boolean;
  handle(iam: IamState, params: QueryParams, context: IamCallContext): IamResult;
}

export type IamOperationTable = Readonly<Record<string, IamOperation>>;

export function reader(handle: IamOperation['handle']): IamOperation {
  return { mutating: false, handle };
}

export function writer(handle: IamOperation['handle']): IamOperation {
  return { mutating: true, handle };
}
