import { enforceArgv } from '../../src/construct/stack-model';
import { planOf, toDelete } from './builders';

describe('enforceArgv with a build pin', () => {
  it('GIVEN the stack pins the build that planned WHEN the enforce argv is built THEN it carries --expect-build with that id', () => {
    const user = planOf([toDelete('a')]).users[0]!;
    const command = { cliCommand: ['node', 'cli.js'], allowlistFile: 'allowlist.yaml', expectBuild: '0.1.0+abcd' };
    const argv = enforceArgv(command, user, 'delete');
    expect(argv.slice(argv.indexOf('--expect-build'), argv.indexOf('--expect-build') + 2)).toEqual(['--expect-build', '0.1.0+abcd']);
    expect(argv.slice(-2)).toEqual(['--allowlist', 'allowlist.yaml']);
  });
});
