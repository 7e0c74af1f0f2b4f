import { MAX_PARALLELISM, parseParallelism } from '../../src/commands/apply';
import { DEFAULT_ENFORCE_CONCURRENCY } from '../../src/commands/enforcement';
import { UsageError } from '../../src/errors';

describe('apply --parallelism', () => {
  it('GIVEN no --parallelism WHEN parsed THEN the default concurrency (4)', () => {
    expect(parseParallelism(undefined)).toBe(DEFAULT_ENFORCE_CONCURRENCY);
    expect(DEFAULT_ENFORCE_CONCURRENCY).toBe(4);
  });

  it.each(['1', '7', String(MAX_PARALLELISM)])('GIVEN --parallelism %s WHEN parsed THEN that number', (value) => {
    expect(parseParallelism(value)).toBe(Number(value));
  });

  it.each(['0', '-1', '2.5', 'four', '', String(MAX_PARALLELISM + 1), '1e1'])(
    'GIVEN --parallelism %j WHEN parsed THEN a UsageError naming the value and the range',
    (value) => {
      expect(() => parseParallelism(value)).toThrow(UsageError);
      expect(() => parseParallelism(value)).toThrow(`--parallelism ${JSON.stringify(value)} is not a whole number from 1 to 16`);
    },
  );
});
