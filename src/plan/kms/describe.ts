import type { KmsKeyFacts } from '../../model/snapshot';

/** "arn:… (alias/x, PendingDeletion: deletion can still be cancelled)" for messages. */
export function describeKey(key: KmsKeyFacts): string {
  const notes: string[] = [...key.aliases];
  if (key.keyState === 'PendingDeletion' || key.keyState === 'PendingReplicaDeletion') {
    notes.push(`${key.keyState}: deletion can still be cancelled`);
  } else if (key.keyState === null) {
    notes.push('state unknown');
  } else if (key.keyState !== 'Enabled') {
    notes.push(key.keyState);
  }
  return notes.length === 0 ? key.arn : `${key.arn} (${notes.join(', ')})`;
}
