import { randomUUID } from 'crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { handleAccount } from './accountService';
import type { CallerConfig, EndpointOptions, LocalEndpoint, RequestLogEntry } from './api';
import { ServiceError } from './errors';
import { CallDescriptor, Faults } from './faults';
import { IAM_OPERATIONS } from './iam/operations';
import { jsonErrorBody, parseJsonBody } from './protocol/json';
import { QueryParams, queryErrorXml, queryResponseXml } from './protocol/query';
import { RequestRecorder } from './recorder';
import { Route, routeRequest } from './routing';
import { seedSandbox } from './sandbox';
import { EndpointState } from './state';
import { handleSts, STS_NAMESPACE } from './sts';
import { sleep } from '../util/sleep';

const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';
const DEFAULT_ACCOUNT_ID = '111122223333';

/** What one call answered, before it is written to the socket. */
interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly errorCode?: string;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function asServiceError(error: unknown, route: Route): ServiceError {
  if (error instanceof ServiceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (route.service === 'kms') return new ServiceError('KMSInternalException', message, 500, 'Receiver');
  if (route.service === 'account') return new ServiceError('InternalServerException', message, 500, 'Receiver');
  return new ServiceError('ServiceFailure', message, 500, 'Receiver');
}

function errorAnswer(route: Route, error: ServiceError, requestId: string): Answer {
  if (route.service === 'kms' || route.service === 'account') {
    return {
      status: error.status,
      body: jsonErrorBody(error),
      headers: {
        'content-type': route.service === 'kms' ? 'application/x-amz-json-1.1' : 'application/json',
        'x-amzn-errortype': error.code,
        'x-amzn-requestid': requestId,
      },
      errorCode: error.code,
    };
  }
  return {
    status: error.status,
    body: queryErrorXml(error, requestId),
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    errorCode: error.code,
  };
}

/** The running endpoint: HTTP in, one dispatch per protocol, faults and recording around it. */
class Endpoint implements LocalEndpoint {
  readonly faults = new Faults();
  readonly state: EndpointState;
  private readonly recorder = new RequestRecorder();
  private server?: Server;
  private boundPort = 0;

  constructor(
    readonly accountId: string,
    private readonly defaultSeed: 'sandbox' | 'empty',
  ) {
    this.state = new EndpointState(accountId);
    this.seed(defaultSeed);
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  async listen(port: number): Promise<void> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
  }

  env(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL: this.url,
      // Obviously fake: the local endpoint does not check signatures.
      AWS_ACCESS_KEY_ID: 'sandbox',
      AWS_SECRET_ACCESS_KEY: 'sandbox',
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  }

  exportLines(): string[] {
    return Object.entries(this.env()).map(([k, v]) => `export ${k}=${v}`);
  }

  setCaller(caller: CallerConfig): void {
    this.state.caller = caller;
  }

  counters(): Record<string, number> {
    return this.recorder.counters();
  }

  requestLog(): readonly RequestLogEntry[] {
    return this.recorder.entries();
  }

  resetCounters(): void {
    this.recorder.reset();
  }

  reset(seed?: 'sandbox' | 'empty'): void {
    this.state.clear();
    this.faults.clear();
    this.recorder.reset();
    this.seed(seed ?? this.defaultSeed);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private seed(seed: 'sandbox' | 'empty'): void {
    if (seed === 'sandbox') seedSandbox(this.state);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      res.destroy();
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    const route = routeRequest(req.headers, path, body);
    const accessKeyId = accessKeyIdOf(req.headers.authorization);
    const caller = this.state.resolveCaller(accessKeyId);
    let call: CallDescriptor = {
      service: route.service,
      operation: 'Unknown',
      region: route.region,
      mutating: false,
      callerArn: caller.arn,
    };
    let answer: Answer;
    try {
      if (route.service === 'kms') {
        const target = req.headers['x-amz-target'];
        const operation = typeof target === 'string' ? target.slice(target.indexOf('.') + 1) : 'Unknown';
        const input = parseJsonBody(body);
        call = {
          ...call,
          operation,
          mutating: this.state.kms.isMutating(operation),
          keyId: typeof input.KeyId === 'string' ? input.KeyId : undefined,
        };
        this.checkFaults(call);
        if (this.state.regions.some((r) => r.regionName === route.region && r.status === 'DISABLED')) {
          // What AWS answers for a region the account has not opted into.
          throw new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
        }
        const result = this.state.kms.handle(route.region, operation, input, { arn: caller.arn });
        answer = this.jsonAnswer(result ?? {}, 'application/x-amz-json-1.1', requestId);
      } else if (route.service === 'account') {
        // REST-JSON paths are the operation names in lower camel case: /listRegions is ListRegions.
        const name = path.replace(/^\//, '');
        call = { ...call, operation: name.charAt(0).toUpperCase() + name.slice(1) };
        this.checkFaults(call);
        answer = this.jsonAnswer(handleAccount(this.state, path, parseJsonBody(body)), 'application/json', requestId);
      } else {
        const params = new QueryParams(body);
        const operation = IAM_OPERATIONS[params.action];
        call = { ...call, operation: params.action || 'Unknown', mutating: route.service === 'iam' && (operation?.mutating ?? false) };
        this.checkFaults(call);
        answer = {
          status: 200,
          body: this.queryBody(route, params, requestId, accessKeyId),
          headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        };
      }
    } catch (error) {
      answer = errorAnswer(route, asServiceError(error, route), requestId);
    }
    const latency = this.faults.latencyMs(call);
    if (latency > 0) await sleep(latency);
    res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
    const countKey = `${call.service}:${call.operation}`;
    this.recorder.record(
      {
        service: call.service,
        region: call.region,
        operation: call.operation,
        status: answer.status,
        errorCode: answer.errorCode,
        mutating: call.mutating,
      },
      countKey,
    );
  }

  private checkFaults(call: CallDescriptor): void {
    const fault = this.faults.check(call);
    if (fault) throw fault;
  }

  private queryBody(route: Route, params: QueryParams, requestId: string, accessKeyId: string | undefined): string {
    const caller = this.state.resolveCaller(accessKeyId);
    if (route.service === 'sts') {
      return queryResponseXml(params.action, STS_NAMESPACE, handleSts(this.state, params, accessKeyId), requestId);
    }
    const operation = IAM_OPERATIONS[params.action];
    if (!operation) throw new ServiceError('InvalidAction', `Could not find operation ${params.action} for version 2010-05-08`, 400);
    const result = operation.handle(this.state.iam, params, {
      callerArn: caller.arn,
      callerUserName: this.state.caller.kind === 'user' ? caller.userName : undefined,
    });
    return queryResponseXml(params.action, IAM_NAMESPACE, result, requestId);
  }

  private jsonAnswer(result: unknown, contentType: string, requestId: string): Answer {
    return { status: 200, body: JSON.stringify(result), headers: { 'content-type': contentType, 'x-amzn-requestid': requestId } };
  }
}

/** Starts the local AWS-compatible endpoint on 127.0.0.1 (ephemeral port by default). */
export async function startEndpoint(options: EndpointOptions = {}): Promise<LocalEndpoint> {
  const endpoint = new Endpoint(options.accountId ?? DEFAULT_ACCOUNT_ID, options.seed ?? 'sandbox');
  await endpoint.listen(options.port ?? 0);
  return endpoint;
}

/** The access key id of a SigV4 Authorization header (Credential=AKID/date/region/service/aws4_request). */
function accessKeyIdOf(authorization: string | undefined): string | undefined {
  return authorization ? /Credential=([^/,\s]+)\//.exec(authorization)?.[1] : undefined;
}
