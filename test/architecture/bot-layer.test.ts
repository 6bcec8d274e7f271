import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * The bot layer asks the domain and shows the answer: its SQL lives in the domain's named
 * functions. Two files keep the bot's own tables (the update inbox and conversation state).
 */
const OWN_TABLES = new Set(["src/bot/inbox.ts", "src/bot/conversation-storage.ts"]);

const botFiles = readdirSync("src/bot", { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts"))
  .map((f) => `src/bot/${f}`);

describe("the bot layer", () => {
  it("holds no SQL outside its own tables", () => {
    const found: string[] = [];
    for (const file of botFiles) {
      if (OWN_TABLES.has(file)) continue;
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\.(prepare|exec)\(\s*["`'](SELECT|INSERT|UPDATE|DELETE|WITH)\b/gi))
        found.push(`${file}: ${m[0]}`);
      for (const m of text.matchAll(/\.prepare\(/g)) found.push(`${file}: ${m[0]} at ${m.index}`);
    }
    expect(found).toEqual([]);
  });

  it("never imports the database driver", () => {
    const found = botFiles.filter((f) => /from "better-sqlite3"/.test(readFileSync(f, "utf8")));
    expect(found).toEqual([]);
  });
});
