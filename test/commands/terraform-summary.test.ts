import { terraformSummary } from '../../src/commands/demo-terraform';

const PLAN_OUTPUT = [
  'terraform_data.user_old-admin: Refreshing state...',
  '╷',
  '│ Warning: Check block assertion failed',
  '│ ',
  '│   on cdk.tf.json line 12:',
  '╵',
  '╷',
  '│ Warning: Check block assertion failed',
  '╵',
  'Plan: 4 to add, 0 to change, 0 to destroy.',
  '',
].join('\n');

describe('terraformSummary', () => {
  it('GIVEN a successful terraform plan WHEN summarised for the demo THEN its verdict line and the count of warnings', () => {
    expect(terraformSummary(PLAN_OUTPUT, 2)).toBe('Plan: 4 to add, 0 to change, 0 to destroy.\n(2 warnings; --full shows them)\n');
  });

  it('GIVEN a failed terraform run WHEN summarised THEN all of its output (the error is the story)', () => {
    const failed = '╷\n│ Error: Resource precondition failed\n│ details\n╵\n';
    expect(terraformSummary(failed, 1)).toBe('╷\n│ Error: Resource precondition failed\n│ details\n╵\n');
  });
});
