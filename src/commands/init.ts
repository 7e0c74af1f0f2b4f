import * as fs from 'fs';
import { AwsClients } from '../aws/clients';
import { generateAllowlist } from '../allowlist/init';
import { parseAllowlist } from '../allowlist/load';
import { takeSnapshot } from '../inventory/inventory';
import { createProgressReporter } from '../inventory/progress';
import { writeFileAtomic } from '../executor/backup';
import { UsageError } from '../errors';
import { parseNow } from './context';

export interface InitCommandOptions {
  /** Assume this role first (see AwsClients). */
  readonly assumeRole?: string;
  readonly output?: string;
  readonly force?: boolean;
  readonly owner?: string;
  readonly now?: string;
}

/** Declares every live user, so adopting the tool removes nobody on day one. */
export async function initCommand(options: InitCommandOptions): Promise<number> {
  const output = options.output ?? 'allowlist.yaml';
  if (fs.existsSync(output) && !options.force) {
    throw new UsageError(`${output} already exists`, 'pass --force to overwrite it, or --output to write elsewhere');
  }
  const now = parseNow(options.now);
  const clients = new AwsClients({ assumeRoleArn: options.assumeRole });
  try {
    // Users and activity are all init needs: no KMS regions are scanned.
    const snapshot = await takeSnapshot(clients, { regions: [], now, onProgress: createProgressReporter(process.stderr) });
    const text = generateAllowlist(snapshot, { now, owner: options.owner });
    // What init writes must load: check before replacing anything.
    parseAllowlist(text, output, { now });
    writeFileAtomic(output, text);
    process.stdout.write(`Wrote ${output}: ${snapshot.users.length} users of account ${snapshot.accountId} declared. Review owners marked TODO.\n`);
    return 0;
  } finally {
    clients.destroy();
  }
}
