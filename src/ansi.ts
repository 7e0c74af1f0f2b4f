/** ANSI SGR codes of the colours the CLI uses. */
export const ANSI = {
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  magenta: '\u001b[35m',
  cyan: '\u001b[36m',
  bold: '\u001b[1m',
  reset: '\u001b[0m',
} as const;

export type AnsiCode = (typeof ANSI)[keyof typeof ANSI];

/** A painter: wraps text in the code when colour is on, returns it unchanged otherwise. */
export function painter(color: boolean | undefined): (code: AnsiCode, text: string) => string {
  return (code, text) => (color ? `${code}${text}${ANSI.reset}` : text);
}
