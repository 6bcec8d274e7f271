/**
 * Reads the YAML (or JSON) files that school staff edit, keeping enough of the parse to point
 * each problem at a line: staff find "line 212" faster than "courses[14]".
 */
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import type { Document } from "yaml";
import { LineCounter, parseDocument } from "yaml";
import type { Problem } from "./import-errors.ts";
import { CatalogError, formatProblem, sortProblems } from "./import-errors.ts";

/** A parsed file: its plain data and a way to find the line a path starts on. */
export interface StructuredFile {
  path: string;
  data: unknown;
  /** 1-based line of the value at `path`, or of its nearest parent that exists; undefined for JSON. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/**
 * Reads and parses `path`: `.json` as JSON, anything else as YAML 1.2 (where `09:00` and
 * `2026-11-02` stay strings). Throws CatalogError, with line numbers, when the file cannot be
 * read or parsed.
 */
export function readStructuredFile(path: string): StructuredFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new CatalogError([`cannot read the file (${code})`], path);
  }
  if (extname(path).toLowerCase() === ".json") {
    try {
      return { path, data: JSON.parse(text), lineOf: () => undefined };
    } catch (err) {
      throw new CatalogError([jsonErrorLine(text, (err as Error).message)], path);
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new CatalogError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const what = e.message.split(" at line ")[0] ?? e.message;
        return pos ? `line ${pos.line}, column ${pos.col}: ${what}` : what;
      }),
      path,
    );
  }
  return {
    path,
    // Aliases are rare in a hand-edited catalog; the limit only guards against "billion laughs".
    data: doc.toJS({ maxAliasCount: 100 }),
    lineOf: (p) => yamlLine(doc, lineCounter, p),
  };
}

function yamlLine(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  // A missing field has no node of its own, so point at the entry that lacks it.
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as
      | { range?: [number, number, number] }
      | undefined;
    if (node && typeof node === "object" && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

function jsonErrorLine(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return message;
  const before = text.slice(0, Number(m[1]));
  const line = before.split("\n").length;
  const col = before.length - before.lastIndexOf("\n");
  return `line ${line}, column ${col}: ${message.replace(/\s*(in JSON )?at position \d+.*$/, "")}`;
}

/** Formats problems in file order, each with ` (line N)` when the file has lines. */
export function problemLines(problems: readonly Problem[], file?: StructuredFile): string[] {
  return sortProblems(problems).map((p) => {
    const line = file?.lineOf(p.path);
    return formatProblem(p, line === undefined ? "" : ` (line ${line})`);
  });
}
