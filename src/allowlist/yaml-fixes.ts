/**
 * The fix printed for a YAML syntax error, from the yaml library's error code and, where one code covers
 * problems that need different fixes, its message. MISSING_CHAR, for instance, is both an unclosed quote
 * and a list item indented less than its siblings ("Sequence item without - indicator"); BAD_INDENT is
 * both a mis-indented key and an unclosed `[`.
 */
export function yamlFix(code: string, message: string): string {
  const closing = /end with an? ([\]}])/.exec(message)?.[1] ?? (/Missing closing ["']?quote/i.test(message) ? 'quote' : null);
  if (closing === 'quote') return 'add the missing closing quote at the end of the value (or remove the opening one)';
  if (closing !== null) return `add the missing closing \`${closing}\`, or write the list or mapping as indented lines instead`;
  if (code === 'MISSING_CHAR' && /without - indicator/.test(message)) {
    return 'indent this line like the lines of the item above it (it is indented less), or start it with `- ` if it is a new item';
  }
  if (code === 'BAD_INDENT' && /mapping items/.test(message)) {
    return 'indent this key like the other keys of its mapping: keys of one mapping start in the same column';
  }
  if (code === 'BAD_INDENT' && /sequence items/.test(message)) {
    return 'start this `- ` item in the same column as the other items of its list';
  }
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    return (
      'the next line is indented deeper than this key: indent it like this key if it is a sibling; ' +
      'if it is a value, write it on the line of its own key; quote values that contain `: `'
    );
  }
  return YAML_FIXES[code] ?? 'check the YAML syntax here; quote values that contain `: `, ` #` or start with a special character';
}

const YAML_FIXES: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  DUPLICATE_KEY: 'remove or rename one of the two identical keys in this mapping',
  MULTIPLE_DOCS: 'keep a single YAML document: remove the second `---` and what follows, or merge it',
  BAD_INDENT: 'check the indentation: nested keys need more spaces than their parent, siblings the same',
  MISSING_CHAR: 'add the missing closing character (quote or bracket) the message names',
  UNEXPECTED_TOKEN: 'remove the unexpected character, or quote the value it belongs to',
  TAG_RESOLVE_FAILED: 'remove the `!tag`: the allowlist uses plain YAML values only',
  BAD_ALIAS: 'define the anchor (&name) before using the alias (*name), or write the value out',
};
