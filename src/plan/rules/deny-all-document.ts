import { isRecord } from '../../util/record';

/**
 * Is an inline policy document the quarantine deny-all? Compared parsed, not as text: AWS may return
 * the document re-serialised (whitespace, key order, a one-element list for a string).
 */

type Json = unknown;

/** "*" or ["*"] (possibly with duplicates). */
function isEverything(value: Json): boolean {
  const items = Array.isArray(value) ? value : [value];
  return items.length > 0 && items.every((item) => item === '*');
}

/** An unconditional Deny of Action "*" on Resource "*", with no NotAction/NotResource/Principal to narrow it. */
function isDenyEverything(statement: Json): boolean {
  if (!isRecord(statement)) return false;
  const effect = statement['Effect'];
  if (typeof effect !== 'string' || effect.toLowerCase() !== 'deny') return false;
  if (statement['Condition'] !== undefined || statement['NotAction'] !== undefined || statement['NotResource'] !== undefined) return false;
  if (statement['Principal'] !== undefined || statement['NotPrincipal'] !== undefined) return false;
  return isEverything(statement['Action']) && isEverything(statement['Resource']);
}

/**
 * true when some statement denies everything unconditionally. Other statements cannot weaken it (an
 * explicit Deny wins), so they do not matter. Unparsable text is not a deny-all.
 */
export function isDenyAllDocument(text: string): boolean {
  let document: Json;
  try {
    document = JSON.parse(text);
  } catch {
    return false;
  }
  if (!isRecord(document)) return false;
  const statements = document['Statement'];
  return (Array.isArray(statements) ? statements : [statements]).some(isDenyEverything);
}
