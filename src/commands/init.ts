import * as fs from 'fs';
import { AwsClients } from '../aws/clients';
import { generateAllowlist, initSummary } from '../allowlist/init';
import { parseAllowlist } from '../allowlist/load';
import { takeSnapshot } from '../inventory/inventory';
import { writeFileAtomic } from '../executor/backup';
import { AwsError, UsageError } from '../errors';
import { parseNow, progressOption } from './context';

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
    const snapshot = await takeSnapshot(clients, { regions: [], now, ...progressOption() });
    // An allowlist written from a failed read would declare too few users, and the next plan would
    // remove the rest: refuse instead.
    const iamErrors = snapshot.scanErrors.filter((e) => e.service === 'iam' || e.service === 'sts');
    if (iamErrors.length > 0) {
      throw new AwsError(
        `the account could not be read completely, so no allowlist was written: ${iamErrors.map((e) => `${e.operation}: ${e.code}: ${e.message}`).join('; ')}`,
        iamErrors[0]!.code,
        iamErrors[0]!.operation,
      );
    }
    const text = generateAllowlist(snapshot, { now, owner: options.owner });
    // What init writes must load: check before replacing anything.
    const { warnings } = parseAllowlist(text, output, { now });
    writeFileAtomic(output, text);
    const placeholderOwners = warnings.filter((warning) => warning.code === 'placeholder-owner').length;
    process.stdout.write(`${initSummary(output, snapshot.accountId, snapshot.users.length, placeholderOwners)}\n`);
    return 0;
  } finally {
    clients.destroy();
  }
}
