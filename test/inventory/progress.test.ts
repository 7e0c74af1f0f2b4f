import { createProgressReporter } from '../../src/inventory/progress';

function fakeStream(isTTY: boolean): { write(text: string): void; isTTY: boolean; text(): string } {
  const chunks: string[] = [];
  return { isTTY, write: (t: string) => void chunks.push(t), text: () => chunks.join('') };
}

describe('createProgressReporter', () => {
  it('GIVEN a non-TTY stream WHEN a run reports THEN one start line and one end line with what was read, the time and the failures', () => {
    const stream = fakeStream(false);
    let now = 1_000;
    const report = createProgressReporter(stream, { clock: () => now });

    report({ kind: 'phase-start', phase: 'users' });
    report({ kind: 'phase-done', phase: 'users', detail: 'ok' });
    report({ kind: 'regions', regions: ['eu-west-1', 'us-east-1'] });
    report({ kind: 'region-keys', region: 'us-east-1', keys: 3 });
    report({ kind: 'key-done', region: 'us-east-1' });
    report({ kind: 'region-done', region: 'us-east-1', keys: 2, failed: false });
    report({ kind: 'region-done', region: 'eu-west-1', keys: 0, failed: true });
    report({ kind: 'phase-done', phase: 'kms', detail: '2 customer keys' });
    report({ kind: 'phase-done', phase: 'activity', detail: '15 users' });
    now = 2_500;
    report({ kind: 'done', scanErrors: 1 });

    const lines = stream.text().trimEnd().split('\n');
    expect(lines).toEqual([
      'inventory: reading the account (IAM users, credential report, KMS keys)…',
      'inventory: complete in 1.5 s (15 users, 2 customer keys in 2 KMS regions), with 1 scan error; KMS keys not listed in eu-west-1',
    ]);
    expect(stream.text()).not.toContain('\r');
  });

  it('GIVEN a TTY stream WHEN a run reports THEN one line is rewritten in place and ended by "done"', () => {
    const stream = fakeStream(true);
    const report = createProgressReporter(stream);

    report({ kind: 'regions', regions: ['us-east-1'] });
    report({ kind: 'region-keys', region: 'us-east-1', keys: 2 });
    report({ kind: 'region-done', region: 'us-east-1', keys: 2, failed: false });
    report({ kind: 'done', scanErrors: 0 });

    const text = stream.text();
    expect(text.split('\n')).toHaveLength(2);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('\r');
    expect(text).toContain('KMS regions 1/1');
  });

  it('GIVEN an interactive reporter WHEN finish is called twice THEN the line is ended once', () => {
    const stream = fakeStream(true);
    const report = createProgressReporter(stream);
    report({ kind: 'phase-done', phase: 'caller' });
    report.finish();
    report.finish();
    expect(stream.text().match(/\n/g)).toHaveLength(1);
  });
});
