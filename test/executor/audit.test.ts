import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AuditLog, formatAuditLine, readAuditLog, type AuditRecord } from '../../src/executor/audit';

const record: AuditRecord = {
  account: '111122223333',
  user: 'old-admin',
  userId: 'AIDAEXAMPLE1',
  step: 'delete-access-keys',
  operation: 'DeleteAccessKey',
  target: 'AKIAEXAMPLE1',
  outcome: 'ok',
  errorCode: null,
  attempts: 1,
};

describe('audit log', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('GIVEN a fixed clock WHEN one call is appended THEN the file holds exactly one JSON line with every field', () => {
    const file = path.join(dir, 'nested', 'audit.log');
    const log = new AuditLog({ path: file, now: () => new Date('2026-02-14T10:00:00.000Z') });
    log.append(record);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(text)).toEqual({ time: '2026-02-14T10:00:00.000Z', ...record });
  });

  test('GIVEN two appends WHEN read back THEN order and outcomes are kept', () => {
    const file = path.join(dir, 'audit.log');
    const log = new AuditLog({ path: file });
    log.append(record);
    log.append({ ...record, target: 'AKIAEXAMPLE2', outcome: 'already-done', errorCode: 'NoSuchEntity' });
    const entries = readAuditLog(file);
    expect(entries.map((e) => [e.target, e.outcome, e.errorCode])).toEqual([
      ['AKIAEXAMPLE1', 'ok', null],
      ['AKIAEXAMPLE2', 'already-done', 'NoSuchEntity'],
    ]);
  });

  test('GIVEN an existing log WHEN a new AuditLog appends THEN earlier lines are kept (append-only)', () => {
    const file = path.join(dir, 'audit.log');
    new AuditLog({ path: file }).append(record);
    new AuditLog({ path: file }).append({ ...record, outcome: 'error', errorCode: 'AccessDenied' });
    expect(readAuditLog(file).map((e) => e.outcome)).toEqual(['ok', 'error']);
  });

  test('GIVEN an entry WHEN formatted THEN keys come in a fixed order', () => {
    const line = formatAuditLine({ time: 't', ...record });
    expect(Object.keys(JSON.parse(line))).toEqual([
      'time',
      'account',
      'user',
      'userId',
      'step',
      'operation',
      'target',
      'outcome',
      'errorCode',
      'attempts',
    ]);
  });

  test('GIVEN no file WHEN read THEN the log is empty', () => {
    expect(readAuditLog(path.join(dir, 'missing.log'))).toEqual([]);
  });
});
