import { ServiceError } from '../errors';
import { childrenXml, escapeXml, XmlValue } from './xml';

/** The form-encoded parameters of one AWS Query request (IAM, STS). */
export class QueryParams {
  private readonly values: Map<string, string>;

  constructor(body: string) {
    this.values = new Map(new URLSearchParams(body));
  }

  get action(): string {
    return this.values.get('Action') ?? '';
  }

  optional(name: string): string | undefined {
    return this.values.get(name);
  }

  required(name: string): string {
    const value = this.values.get(name);
    if (value === undefined || value === '') {
      throw new ServiceError(
        'ValidationError',
        `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
        400,
      );
    }
    return value;
  }

  int(name: string): number | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n)) throw new ServiceError('ValidationError', `Invalid value for ${name}: ${value}`, 400);
    return n;
  }

  bool(name: string): boolean | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    return value.toLowerCase() === 'true';
  }

  /** A `member`-encoded list of strings: `Name.member.1=a&Name.member.2=b`. */
  stringList(name: string): string[] {
    const out: string[] = [];
    for (let i = 1; ; i++) {
      const value = this.values.get(`${name}.member.${i}`);
      if (value === undefined) return out;
      out.push(value);
    }
  }

  /** A `member`-encoded list of structures: `Tags.member.1.Key=k&Tags.member.1.Value=v`. */
  structList(name: string, fields: readonly string[]): Record<string, string | undefined>[] {
    const out: Record<string, string | undefined>[] = [];
    for (let i = 1; ; i++) {
      const prefix = `${name}.member.${i}.`;
      const item: Record<string, string | undefined> = {};
      let present = false;
      for (const field of fields) {
        const value = this.values.get(prefix + field);
        if (value !== undefined) present = true;
        item[field] = value;
      }
      if (!present) return out;
      out.push(item);
    }
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** `<XResponse xmlns=…><XResult>…</XResult><ResponseMetadata>…` — no Result element for operations without output. */
export function queryResponseXml(
  action: string,
  namespace: string,
  result: { [key: string]: XmlValue } | undefined,
  requestId: string,
): string {
  const resultXml = result === undefined ? '' : `<${action}Result>${childrenXml(result)}</${action}Result>`;
  return (
    `<${action}Response xmlns="${namespace}">${resultXml}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function queryErrorXml(error: ServiceError, requestId: string): string {
  return (
    `<ErrorResponse><Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
