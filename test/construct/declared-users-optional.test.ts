import { App, TerraformStack } from 'cdktf';
import { UsageError } from '../../src/errors';
import { allowlistOf, declaredUser, planOf } from './builders';

// @cdktf/provider-aws is an optional peer dependency: simulate an install without it.
jest.mock('@cdktf/provider-aws/lib/provider', () => {
  throw Object.assign(new Error("Cannot find module '@cdktf/provider-aws/lib/provider'"), { code: 'MODULE_NOT_FOUND' });
});

describe('managing declared users without @cdktf/provider-aws installed', () => {
  it('GIVEN the optional provider package is missing WHEN the module is loaded THEN it loads (the default install works)', () => {
    expect(() => require('../../src/construct/declared-users')).not.toThrow();
  });

  it('GIVEN the optional provider package is missing WHEN declared users are to be managed THEN a UsageError names the package', () => {
    const { addDeclaredUsers } = require('../../src/construct/declared-users') as typeof import('../../src/construct/declared-users');
    const stack = new TerraformStack(new App({ skipValidation: true }), 'stack');
    let thrown: unknown;
    try {
      addDeclaredUsers(stack, { plan: planOf([]), allowlist: allowlistOf([declaredUser('alice')]) });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toContain('needs the package @cdktf/provider-aws');
    expect((thrown as UsageError).hint).toContain('npm install --save-dev @cdktf/provider-aws');
  });
});
