import { basename } from "node:path";
import { badRequest } from "../errors.ts";
import type { StoredFile } from "../file-store.ts";
import { imageSize } from "../file-store.ts";
import type { UploadedFile } from "../multipart.ts";
import type { MessageContent } from "../raw-message.ts";
import { parseContent, parseReplyMarkup } from "../validation.ts";
import type { MethodContext, MethodHandler } from "./context.ts";
import { replyTarget, sendTarget, spendRate } from "./context.ts";
import { contentFields } from "./messages.ts";

const URL_FETCH_TIMEOUT_MS = 10_000;

async function fetchUrl(url: string): Promise<{ data: Buffer; name: string; type?: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(URL_FETCH_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const data = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get("content-type") ?? undefined;
    const name = basename(new URL(url).pathname) || "file";
    return type === undefined ? { data, name } : { data, name, type };
  } catch {
    throw badRequest("failed to get HTTP URL content");
  }
}

/**
 * Resolves the file of a send: a multipart upload, an http(s) URL Telegram
 * would download, or the file_id of a stored file of the same kind.
 */
async function resolveFile(ctx: MethodContext, kind: "photo" | "document"): Promise<StoredFile> {
  const input = ctx.params.file(kind);
  if (input === undefined) throw badRequest(`there is no ${kind} in the request`);
  let upload: UploadedFile;
  if (typeof input === "string") {
    if (input.startsWith("attach://")) throw badRequest("wrong file identifier/HTTP URL specified");
    if (!/^https?:\/\//i.test(input)) {
      const existing = ctx.state.files.get(input);
      if (!existing) throw badRequest("wrong file identifier/HTTP URL specified");
      if (existing.kind !== kind) throw badRequest("type of file mismatch");
      return existing;
    }
    const fetched = await fetchUrl(input);
    upload = {
      filename: fetched.name,
      contentType: fetched.type ?? "application/octet-stream",
      data: fetched.data,
    };
  } else {
    upload = input;
  }
  if (upload.data.length === 0) throw badRequest("file must be non-empty");
  if (kind === "photo") {
    if (imageSize(upload.data) === null) throw badRequest("IMAGE_PROCESS_FAILED");
    return ctx.state.files.add(upload.data, { kind });
  }
  return ctx.state.files.add(upload.data, {
    kind,
    file_name: upload.filename,
    mime_type: upload.contentType,
  });
}

async function sendMedia(ctx: MethodContext, kind: "photo" | "document"): Promise<unknown> {
  const record = sendTarget(ctx);
  const parsed = parseContent(ctx.params, "caption");
  const markup = parseReplyMarkup(ctx.params);
  const replyTo = replyTarget(ctx, record);
  const file = await resolveFile(ctx, kind);
  spendRate(ctx, record.chat.id);
  const content: MessageContent = contentFields(parsed);
  if (markup) content.reply_markup = markup;
  if (replyTo !== undefined) content.reply_to_message_id = replyTo;
  const ids = { file_id: file.file_id, file_unique_id: file.file_unique_id };
  if (kind === "photo") {
    content.photo = [{ ...ids, width: file.width ?? 0, height: file.height ?? 0, file_size: file.file_size }];
  } else {
    content.document = { ...ids, file_size: file.file_size };
    if (file.file_name !== undefined) content.document.file_name = file.file_name;
    if (file.mime_type !== undefined) content.document.mime_type = file.mime_type;
  }
  return ctx.state.addMessage(record, "bot", content).raw;
}

const getFile: MethodHandler = (ctx) => {
  const file = ctx.state.files.get(ctx.params.str("file_id") ?? "");
  if (!file) throw badRequest("invalid file_id");
  return {
    file_id: file.file_id,
    file_unique_id: file.file_unique_id,
    file_size: file.file_size,
    file_path: file.file_path,
  };
};

/** sendPhoto, sendDocument and getFile. */
export const mediaMethods: Record<string, MethodHandler> = {
  sendPhoto: (ctx) => sendMedia(ctx, "photo"),
  sendDocument: (ctx) => sendMedia(ctx, "document"),
  getFile,
};
