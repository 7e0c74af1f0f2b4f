import { join } from 'node:path';
import { loadAllowlistFile, matchDeclared } from '../../src/allowlist/load';

const SAMPLE = join(__dirname, '..', '..', 'allowlist.yaml');
const NOW = new Date('2026-11-23T12:00:00Z');

describe('the sample allowlist.yaml', () => {
  const { allowlist, warnings } = loadAllowlistFile(SAMPLE, { now: NOW });

  test('GIVEN the sample WHEN loaded THEN it pins the sandbox account and the documented settings', () => {
    expect(allowlist.account).toBe('111122223333');
    expect(allowlist.defaults).toMatchObject({ onInactive: 'quarantine', maxRemovalsPerRun: 10 });
    expect(allowlist.guards).toMatchObject({ kms: 'block', regions: 'all' });
  });

  test('GIVEN the sample WHEN loaded THEN it declares exactly the five sandbox users at their paths', () => {
    expect(allowlist.users.map((u) => [u.name, u.path])).toEqual([
      ['alice', '/engineering/'],
      ['bob', '/engineering/'],
      ['deploy-bot', '/service/'],
      ['break-glass', '/'],
      ['former-contractor', '/contractors/'],
    ]);
    expect(allowlist.users.find((u) => u.name === 'break-glass')?.protect).toBe(true);
    expect(allowlist.users.find((u) => u.name === 'former-contractor')?.inactiveAfterDays).toBe(90);
  });

  test('GIVEN the sample after 2026-01-31 WHEN loaded THEN only the legacy-etl exception is flagged, as expired', () => {
    expect(warnings.map((w) => [w.code, w.message.includes('legacy-etl')])).toEqual([['expired', true]]);
    expect(matchDeclared(allowlist, { name: 'legacy-etl', path: '/' }, NOW).expiredEntry?.name).toBe('legacy-etl');
  });

  test('GIVEN the sample WHEN undeclared sandbox users are matched THEN none of them is declared', () => {
    for (const name of ['temp-deploy-user', 'old-admin', 'data-pipeline', 'shadow-it-user', 'ci-bootstrap']) {
      const match = matchDeclared(allowlist, { name, path: '/' }, NOW);
      expect([match.declared, match.exception]).toEqual([null, null]);
    }
  });
});
