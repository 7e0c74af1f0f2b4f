import type { RequestLogEntry } from './api';

/** Most entries kept in the request log; older ones are dropped (counters keep counting). */
const MAX_LOG_ENTRIES = 200_000;

/** Counters per "service:Operation" and the request log. */
export class RequestRecorder {
  private counts = new Map<string, number>();
  private log: RequestLogEntry[] = [];
  private seq = 0;

  record(entry: Omit<RequestLogEntry, 'seq' | 'time'>, countKey: string): void {
    this.counts.set(countKey, (this.counts.get(countKey) ?? 0) + 1);
    this.seq++;
    this.log.push({ seq: this.seq, time: new Date().toISOString(), ...entry });
    if (this.log.length > MAX_LOG_ENTRIES) this.log.splice(0, this.log.length - MAX_LOG_ENTRIES);
  }

  /** Counts a call that has no place in the typed request log (the Account service). */
  count(countKey: string): void {
    this.counts.set(countKey, (this.counts.get(countKey) ?? 0) + 1);
  }

  counters(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  entries(): readonly RequestLogEntry[] {
    return this.log.slice();
  }

  reset(): void {
    this.counts = new Map();
    this.log = [];
    this.seq = 0;
  }
}
