import * as fs from 'fs';
import * as path from 'path';
import * as api from '../../src';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

describe('the package entry point', () => {
  it('GIVEN src/index.ts WHEN imported THEN the documented API is there: construct, discovery, environment options, pure pieces', () => {
    expect(typeof api.IamAllowlistStack.fromAccount).toBe('function');
    const documented = ['discoverAccount', 'optionsFromEnvironment', 'runningBuildId', 'loadAllowlistFile', 'takeSnapshot', 'plan'];
    for (const name of documented) {
      expect({ name, type: typeof (api as Record<string, unknown>)[name] }).toEqual({ name, type: 'function' });
    }
  });

  it('GIVEN package.json WHEN read THEN main, types and the exports map name the compiled entry point of src/index.ts', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(manifest.private).toBeUndefined();
    expect(manifest.exports['.']).toEqual({ types: './dist/src/index.d.ts', default: './dist/src/index.js' });
    expect([manifest.main, manifest.types]).toEqual(['dist/src/index.js', 'dist/src/index.d.ts']);
    expect(manifest.peerDependenciesMeta['@cdktf/provider-aws']).toEqual({ optional: true });
    // The consumer's app owns cdktf and constructs: peers, never a second copy in dependencies.
    expect([manifest.dependencies.cdktf, manifest.dependencies.constructs, manifest.dependencies['@cdktf/provider-aws']]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['@cdktf/provider-aws', 'cdktf', 'constructs']);
  });
});
