import type { IncomingMessage, ServerResponse } from "node:http";

/** A 4xx the page can show as it is. */
export class WebError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Headers every answer carries: nothing from elsewhere may run in or frame the page. */
export const SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(JSON.stringify(body));
}

const MAX_BODY = 64 * 1024;

/** Reads a small JSON object body; an empty body is `{}`. */
export async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new WebError(413, "内容太长 · Request too large");
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new WebError(400, "请求格式不对 · Bad JSON body");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new WebError(400, "请求格式不对 · The body must be a JSON object");
  return parsed as Record<string, unknown>;
}

export function str(value: unknown, name: string, max = 4096): string {
  if (typeof value !== "string" || value.trim() === "")
    throw new WebError(400, `缺少 ${name} · ${name} is required`);
  if (value.length > max) throw new WebError(400, `${name} 太长 · ${name} is too long`);
  return value;
}

export function int(value: unknown, name: string): number {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new WebError(400, `${name} 要是整数 · ${name} must be a whole number`);
  return n;
}
