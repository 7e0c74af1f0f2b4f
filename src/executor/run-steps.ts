import { InternalError, UsageError } from '../errors';
import type { ApiCaller } from './api-calls';
import type { Step } from './step';

export type StepOutcome = 'ok' | 'already-done';

export interface StepResult {
  readonly id: string;
  readonly description: string;
  /** "ok": the step changed something; "already-done": nothing was left to change. */
  readonly outcome: StepOutcome;
  /** Calls per "service:Operation" the step made (each retry counts). */
  readonly apiCalls: Readonly<Record<string, number>>;
  readonly notes: readonly string[];
}

export interface StepEvent {
  readonly phase: 'start' | 'done';
  readonly stepId: string;
  readonly description: string;
  /** 1-based position in the table. */
  readonly index: number;
  readonly total: number;
  readonly result?: StepResult;
}

/** Thrown by the crashAfterStep test hook after the named step has fully completed. */
export class SimulatedCrashError extends InternalError {
  constructor(readonly stepId: string) {
    super(`simulated crash after step ${stepId}`);
  }
}

export interface RunStepsOptions {
  /** Called before and after each step; a returned promise is awaited. */
  readonly onStep?: (event: StepEvent) => void | Promise<void>;
  /** Test hook: throw SimulatedCrashError after this step completes. Must name a step of the table. */
  readonly crashAfterStep?: string;
}

export function assertKnownStep(steps: readonly Step<never>[], stepId: string | undefined): void {
  if (stepId !== undefined && !steps.some((s) => s.id === stepId)) {
    throw new UsageError(`crashAfterStep "${stepId}" is not a step of this action`, `steps: ${steps.map((s) => s.id).join(', ')}`);
  }
}

/** Runs one step: its calls are held to its declared permissions and counted; its notes collected. */
export async function runStep<C extends { readonly notes: string[] }>(step: Step<C>, ctx: C, api: ApiCaller): Promise<StepResult> {
  api.beginStep(step);
  const notesBefore = ctx.notes.length;
  await step.run(ctx);
  const { calls, changed } = api.endStep();
  return {
    id: step.id,
    description: step.description,
    outcome: changed ? 'ok' : 'already-done',
    apiCalls: calls,
    notes: ctx.notes.slice(notesBefore),
  };
}

/** Runs a step table in order against a context whose `notes` array collects each step's notes. */
export async function runSteps<C extends { readonly notes: string[] }>(
  steps: readonly Step<C>[],
  ctx: C,
  api: ApiCaller,
  options: RunStepsOptions = {},
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const [i, step] of steps.entries()) {
    const event = { stepId: step.id, description: step.description, index: i + 1, total: steps.length };
    await options.onStep?.({ phase: 'start', ...event });
    const result = await runStep(step, ctx, api);
    results.push(result);
    await options.onStep?.({ phase: 'done', ...event, result });
    if (options.crashAfterStep === step.id) throw new SimulatedCrashError(step.id);
  }
  return results;
}
