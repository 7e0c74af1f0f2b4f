/**
 * The project's one policy-document decoder (inventory and backups alike: a backup must equal what the
 * scan analysed). IAM returns policy documents (inline policies, trust policies) URL-encoded (RFC 3986)
 * inside its XML; some AWS-compatible endpoints send plain JSON. Decoded only when encoded, exactly once.
 * A document that already starts with "{" is plain JSON and is returned untouched: decoding it again
 * would corrupt a literal "%" inside a condition value. Text that cannot be decoded is returned as is,
 * so the caller's JSON parse fails loudly instead of this function guessing.
 */
export function decodePolicyDocument(raw: string): string {
  const trimmed = raw.trimStart();
  if (trimmed.startsWith('{')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
