import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { enqueue } from "../../src/notify/outbox.ts";
import { outboxReport } from "../../src/notify/report.ts";
import { startEmulator, stopAll } from "./sender-setup.ts";

const CHILD = fileURLToPath(new URL("./crash-child.ts", import.meta.url));
const CHATS = 1000;
const PER_CHAT = 2;
const TOTAL = CHATS * PER_CHAT;

afterEach(stopAll);

function runChild(env: Record<string, string>): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; out: string }>;
} {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, out })),
  );
  return { child, done };
}

describe("a sender killed mid-way", () => {
  it("delivers every message exactly once after a restart, except rows it reports as uncertain", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lifelong-crash-"));
    try {
      const dbPath = join(dir, "crash.db");
      const emulator = await startEmulator(false);
      const setup = openDatabase(dbPath);
      migrate(setup);
      const now = new Date();
      setup.transaction(() => {
        for (let c = 1; c <= CHATS; c++) {
          emulator.state.ensureUser({ id: 800_000 + c, first_name: `C${c}` });
          for (let m = 1; m <= PER_CHAT; m++) {
            const key = `crash:${c}:${m}`;
            enqueue(
              setup,
              { key, chatId: 800_000 + c, template: "crash.echo", params: { key }, dueAt: now },
              now,
            );
          }
        }
      })();
      setup.close();
      const env = { CRASH_DB: dbPath, CRASH_API_ROOT: emulator.apiRoot as string };

      // Kill the first run with SIGKILL once about a third has arrived.
      // The kill happens while the emulator holds that message but has not answered yet, so
      // the sender dies between "sent" and "recorded" for it: the case the crash rule is for.
      let delivered = 0;
      let killedOn = "";
      const first = runChild(env);
      await new Promise<void>((resolve) => {
        emulator.state.events.on("message", (e: { message: { text: string } }) => {
          delivered += 1;
          if (delivered === Math.floor(TOTAL / 3)) {
            killedOn = e.message.text;
            first.child.kill("SIGKILL");
            resolve();
          }
        });
      });
      const killed = await first.done;
      expect(killed.signal).toBe("SIGKILL");
      const atKill = delivered;
      expect(atKill).toBeLessThan(TOTAL);

      const second = await runChild(env).done;
      expect(second.code, second.out).toBe(0);

      const db = openDatabase(dbPath);
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      const rows = db.prepare("SELECT key, chat_id, state, message_id FROM outbox").all() as {
        key: string;
        chat_id: number;
        state: string;
        message_id: number | null;
      }[];
      const arrived = new Map<string, number[]>();
      for (let c = 1; c <= CHATS; c++) {
        for (const m of emulator.state.messages(800_000 + c)) {
          arrived.set(m.text, [...(arrived.get(m.text) ?? []), m.message_id]);
        }
      }
      // Nothing arrived twice, and nothing arrived that was not asked for.
      for (const [key, ids] of arrived) expect(ids, key).toHaveLength(1);
      expect([...arrived.keys()].every((k) => k.startsWith("crash:"))).toBe(true);

      const uncertain = rows.filter((r) => r.state === "uncertain");
      const sent = rows.filter((r) => r.state === "sent");
      expect(sent.length + uncertain.length).toBe(TOTAL);
      for (const r of sent) expect(arrived.get(r.key)).toEqual([r.message_id]);
      // Uncertain rows are those in flight at the kill: arrived or not, never resent.
      expect(uncertain.length).toBeLessThanOrEqual(64);
      expect(uncertain.map((r) => r.key)).toContain(killedOn);
      expect(arrived.get(killedOn)).toHaveLength(1);
      const report = outboxReport(db);
      expect(report.counts.uncertain).toBe(uncertain.length);
      expect(report.counts.sent).toBe(sent.length);
      expect(report.uncertain.every((u) => u.error === "interrupted while sending")).toBe(true);
      const uncertainArrived = uncertain.filter((r) => arrived.has(r.key)).length;
      expect(arrived.size).toBe(sent.length + uncertainArrived);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
