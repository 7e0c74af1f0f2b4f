import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Node as YamlNode } from 'yaml';

/** A position in the source text, both 1-based. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Which part of a key: value pair a path should point at. */
export type PathTarget = 'key' | 'value';

/** A segment of a path into the data: object key or list index. */
export type PathSegment = string | number;

/**
 * A parsed YAML file that can translate data paths (users[2].owner) back to source positions.
 * Parsed with the YAML 1.2 core schema, so `2026-01-31` stays the string it looks like.
 */
export class YamlSource {
  readonly document: Document.Parsed;
  /**
   * Offsets where each line starts. Computed here rather than with the yaml package's LineCounter:
   * that one is fed by the lexer, which skips the newlines inside multi-line tokens while recovering
   * from syntax errors, so positions after such an error came out on the wrong line (found by fuzzing).
   */
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    this.lineStarts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    this.document = parseDocument(text, {
      schema: 'core',
      prettyErrors: false,
      uniqueKeys: true,
      merge: false,
    });
  }

  /** Position of a character offset; always inside the text (1:1 for an empty file). */
  positionAt(offset: number): SourcePosition {
    const clamped = Math.max(0, Math.min(Number.isFinite(offset) ? offset : 0, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((this.lineStarts[middle] ?? 0) <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: clamped - (this.lineStarts[low] ?? 0) + 1 };
  }

  /** Where the document's content starts (1:1 when there is none). */
  get start(): SourcePosition {
    const contents = this.document.contents;
    return contents?.range ? this.positionAt(contents.range[0]) : { line: 1, column: 1 };
  }

  /**
   * The position of the node at `path`, or of its nearest ancestor that exists.
   * target "key" points at the key of the last segment when it is a mapping key.
   */
  locate(path: readonly PathSegment[], target: PathTarget = 'value'): SourcePosition {
    let node: unknown = this.resolve(this.document.contents);
    let best: SourcePosition = this.start;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
        if (!pair) return best;
        const keyPosition = nodePosition(this, pair.key) ?? best;
        if (last && target === 'key') return keyPosition;
        const valuePosition = valueNodePosition(this, pair.value);
        best = valuePosition ?? keyPosition;
        node = this.resolve(pair.value);
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) return best;
        best = nodePosition(this, item) ?? best;
        node = this.resolve(item);
      } else {
        return best;
      }
    }
    return best;
  }

  /** The 1-based line of the node at `path`, or null when there is none. */
  lineOf(path: readonly PathSegment[]): number | null {
    let node: unknown = this.resolve(this.document.contents);
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
        node = pair ? this.resolve(pair.value) : undefined;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = this.resolve(node.items[segment]);
      } else {
        return null;
      }
    }
    return nodePosition(this, node)?.line ?? null;
  }

  /**
   * Nodes the plain-data conversion cannot handle, found in one walk: aliases whose anchor does not
   * exist (the yaml package reports those only when converting) and mapping keys that are not plain
   * scalars (`? [a, b]: 1`), which cannot become object keys.
   */
  unconvertibleNodes(): { readonly unresolvedAliases: Alias[]; readonly complexKeys: YamlNode[] } {
    const unresolvedAliases: Alias[] = [];
    const complexKeys: YamlNode[] = [];
    visit(this.document, {
      Alias: (_key, alias) => {
        if (alias.resolve(this.document) === undefined) unresolvedAliases.push(alias);
      },
      Pair: (_key, pair) => {
        if (pair.key !== null && !isScalar(pair.key)) complexKeys.push(pair.key as YamlNode);
      },
    });
    return { unresolvedAliases, complexKeys };
  }

  private resolve(node: unknown): unknown {
    // Follow aliases (bounded: an alias may point at another alias).
    let current = node;
    for (let hops = 0; hops < 16 && isAlias(current); hops++) current = current.resolve(this.document);
    return current;
  }
}

function keyText(key: unknown): string | null {
  if (isScalar(key)) return String(key.value);
  return null;
}

function nodePosition(source: YamlSource, node: unknown): SourcePosition | null {
  const range = (node as { range?: readonly number[] | null } | null)?.range;
  return range ? source.positionAt(range[0] ?? 0) : null;
}

/** An empty value (`owner:` with nothing after it) has no text of its own: point at its key instead. */
function valueNodePosition(source: YamlSource, node: unknown): SourcePosition | null {
  const range = (node as { range?: readonly number[] | null } | null)?.range;
  if (!range || range[0] === range[1]) return null;
  return source.positionAt(range[0] ?? 0);
}
