import type { IncomingMessage } from "node:http";
import { ApiError, badRequest } from "./errors.ts";
import type { UploadedFile } from "./multipart.ts";
import { multipartBoundary, parseMultipart } from "./multipart.ts";

/** Telegram's cap on uploads through the public Bot API. */
const MAX_BODY_BYTES = 50 * 1024 * 1024;

/**
 * Method parameters from any of Telegram's accepted encodings. Values from
 * form bodies are strings, so every getter coerces the way the Bot API does
 * (reply_markup may be an object or a JSON string, chat_id a number or "123").
 */
export class Params {
  readonly fields: Record<string, unknown>;
  readonly files: Map<string, UploadedFile>;

  constructor(fields: Record<string, unknown> = {}, files: Map<string, UploadedFile> = new Map()) {
    this.fields = fields;
    this.files = files;
  }

  has(name: string): boolean {
    const v = this.fields[name];
    return v !== undefined && v !== null && v !== "";
  }

  str(name: string): string | undefined {
    const v = this.fields[name];
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return undefined;
  }

  /** An integer, or undefined when absent or not numeric. */
  int(name: string): number | undefined {
    const v = this.fields[name];
    if (typeof v === "number" && Number.isInteger(v)) return v;
    if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v.trim());
    return undefined;
  }

  bool(name: string): boolean | undefined {
    const v = this.fields[name];
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "1" || v === 1) return true;
    if (v === "false" || v === "0" || v === 0) return false;
    return undefined;
  }

  /** A JSON-valued field; strings are parsed, a parse failure is a 400 with `errorText`. */
  json(name: string, errorText: string): unknown {
    const v = this.fields[name];
    if (typeof v !== "string") return v ?? undefined;
    if (v === "") return undefined;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      throw badRequest(errorText);
    }
  }

  /** An uploaded file (direct part or attach://name), or the string (file_id / URL) given instead. */
  file(name: string): UploadedFile | string | undefined {
    const v = this.fields[name];
    if (typeof v === "string" && v.startsWith("attach://")) {
      return this.files.get(v.slice("attach://".length)) ?? v;
    }
    if (typeof v === "string" && v !== "") return v;
    return this.files.get(name);
  }
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, "Request Entity Too Large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Reads query string and body (JSON, urlencoded or multipart) into Params. */
export async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const fields: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const raw = await readRaw(req);
  if (raw.length === 0) return new Params(fields);
  const type = req.headers["content-type"] ?? "";
  const boundary = multipartBoundary(type);
  if (boundary !== undefined) {
    const body = parseMultipart(raw, boundary);
    return new Params({ ...fields, ...body.fields }, body.files);
  }
  if (/application\/x-www-form-urlencoded/i.test(type)) {
    return new Params({ ...fields, ...Object.fromEntries(new URLSearchParams(raw.toString("utf8"))) });
  }
  if (/application\/json/i.test(type) || type === "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString("utf8"));
    } catch {
      throw badRequest("can't parse JSON encoded request body");
    }
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      return new Params({ ...fields, ...(parsed as Record<string, unknown>) });
    }
    throw badRequest("can't parse JSON encoded request body");
  }
  return new Params(fields);
}

/** Reads a JSON body for the control API (empty body = {}). */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readRaw(req);
  if (raw.length === 0) return {};
  const parsed: unknown = JSON.parse(raw.toString("utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error("expected a JSON object");
  return parsed as Record<string, unknown>;
}
