import * as fs from 'fs';
import * as path from 'path';
import { InternalError } from '../errors';

const PACKAGE_NAME = 'iam-allowlist';
export const LAUNCHER = path.join('bin', 'iam-allowlist.js');

/** This package's own bin/iam-allowlist.js, found from the compiled dist/ and the sources alike. */
export function ownCliLauncher(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const own = path.join(dir, LAUNCHER);
    if (fs.existsSync(own)) return own;
    if (path.dirname(dir) === dir) throw new InternalError(`${LAUNCHER} not found above ${__dirname}`);
  }
}

/**
 * The CLI's launcher as a project reaches it: the package installed in the project's (or a
 * parent's) node_modules, found without resolving symlinks so the path stays inside the project;
 * otherwise (the package's own checkout) this package's bin/.
 */
export function cliLauncherFor(projectDirectory: string): string {
  for (let dir = projectDirectory; ; dir = path.dirname(dir)) {
    const installed = path.join(dir, 'node_modules', PACKAGE_NAME, LAUNCHER);
    if (fs.existsSync(installed)) return installed;
    if (path.dirname(dir) === dir) return ownCliLauncher();
  }
}
