import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { awsErrorCode } from '../errors';
import { parseCredentialReport, type ParsedCredentialReport } from './credential-report';
import { sleep } from '../util/sleep';

export interface CredentialReportReadOptions {
  /** Give up waiting for a COMPLETE report after this long. Default 120000 ms. */
  readonly timeoutMs?: number;
  /** First pause between polls; grows by half each time up to maxPollDelayMs. Default 200 ms. */
  readonly initialPollDelayMs?: number;
  /** Default 2000 ms. */
  readonly maxPollDelayMs?: number;
}

export interface CredentialReport {
  /** ISO time the report was generated. */
  readonly generatedAt: string;
  readonly report: ParsedCredentialReport;
}

/** The report did not become available in time. */
export class CredentialReportTimeoutError extends Error {
  override readonly name = 'CredentialReportTimeout';
}

/** "Still being generated" (the SDK's exception name or the wire code). */
const NOT_READY = new Set(['CredentialReportNotReadyException', 'ReportInProgress']);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

/**
 * GenerateCredentialReport until it says COMPLETE, then GetCredentialReport.
 * A caller not allowed to generate (iam:GenerateCredentialReport denied) still gets the existing
 * report when there is one: GetCredentialReport is tried directly, and its own error is what fails.
 * Throws on failure or timeout; the caller records it as a scan error.
 */
export async function readCredentialReport(iam: IAMClient, options: CredentialReportReadOptions = {}): Promise<CredentialReport> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const maxDelay = options.maxPollDelayMs ?? 2000;
  let delay = options.initialPollDelayMs ?? 200;
  const deadline = Date.now() + timeoutMs;

  for (;;) {
    let state: string | undefined;
    try {
      state = (await iam.send(new GenerateCredentialReportCommand({}))).State;
    } catch (err) {
      if (!DENIED.has(awsErrorCode(err) ?? '')) throw err;
      return await getReport(iam);
    }
    if (state === 'COMPLETE') {
      try {
        return await getReport(iam);
      } catch (err) {
        if (!NOT_READY.has(awsErrorCode(err) ?? '')) throw err;
      }
    }
    if (Date.now() + delay > deadline) {
      throw new CredentialReportTimeoutError(`credential report not complete after ${timeoutMs} ms (last state ${state})`);
    }
    await sleep(delay);
    delay = Math.min(maxDelay, Math.ceil(delay * 1.5));
  }
}

async function getReport(iam: IAMClient): Promise<CredentialReport> {
  const answer = await iam.send(new GetCredentialReportCommand({}));
  const csvText = answer.Content ? Buffer.from(answer.Content).toString('utf8') : '';
  return {
    generatedAt: (answer.GeneratedTime ?? new Date(0)).toISOString(),
    report: parseCredentialReport(csvText),
  };
}
