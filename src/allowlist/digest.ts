import { createHash } from 'crypto';
import * as fs from 'fs';

/**
 * SHA-256 (hex) of the allowlist file's bytes, exactly as stored: what a synthesized stack and a saved plan record,
 * so that any edit (even a comment) since then is seen. Throws the fs error when the file cannot be read.
 */
export function allowlistDigest(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
