/** The first argument of each `.callbackQuery(` call: the text up to its first top-level comma. */
export function triggersOf(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\.callbackQuery\(/g)) {
    let depth = 0;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") {
        if (depth === 0) break;
        depth--;
      } else if (c === "," && depth === 0) break;
    }
    found.push(text.slice(start, i).trim());
  }
  return found;
}
