import { randomBytes } from "node:crypto";
import { extname } from "node:path";

/** A file the emulator holds in memory, uploaded by the bot or a simulated user. */
export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  file_name?: string;
  mime_type?: string;
  file_size: number;
  kind: "document" | "photo";
  width?: number;
  height?: number;
  data: Buffer;
}

const MIME_BY_EXT: Record<string, string> = {
  ".pdf": "application/pdf",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".svg": "image/svg+xml",
  ".txt": "text/plain",
  ".csv": "text/csv",
  ".ics": "text/calendar",
  ".json": "application/json",
  ".zip": "application/zip",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ".html": "text/html",
  ".md": "text/markdown",
};

/** Telegram derives a document's mime type from its name when the upload says octet-stream. */
export function guessMimeType(fileName: string | undefined, declared?: string): string | undefined {
  if (declared && declared !== "application/octet-stream") return declared;
  const guessed = fileName ? MIME_BY_EXT[extname(fileName).toLowerCase()] : undefined;
  return guessed ?? declared;
}

/** Width and height of a PNG, JPEG, GIF or WebP image; null when the bytes are not one. */
export function imageSize(data: Buffer): { width: number; height: number } | null {
  if (data.length >= 24 && data.readUInt32BE(0) === 0x89504e47) {
    return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  if (data.length >= 10 && data.toString("latin1", 0, 3) === "GIF") {
    return { width: data.readUInt16LE(6), height: data.readUInt16LE(8) };
  }
  if (
    data.length >= 30 &&
    data.toString("latin1", 0, 4) === "RIFF" &&
    data.toString("latin1", 8, 12) === "WEBP"
  ) {
    return { width: 0, height: 0 };
  }
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8) {
    let pos = 2;
    while (pos + 9 < data.length) {
      if (data[pos] !== 0xff) return null;
      const marker = data[pos + 1] ?? 0;
      const len = data.readUInt16BE(pos + 2);
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: data.readUInt16BE(pos + 7), height: data.readUInt16BE(pos + 5) };
      }
      pos += 2 + len;
    }
    return { width: 0, height: 0 };
  }
  return null;
}

const FILE_ID_PREFIX = { document: "BQACAgIAAxkBAA", photo: "AgACAgIAAxkBAA" } as const;

/** In-memory files addressable by file_id and by file_path (for downloads). */
export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, StoredFile>();
  private counter = 0;

  /** Stores bytes under a fresh file_id / file_unique_id / file_path. */
  add(
    data: Buffer,
    meta: { kind: "document" | "photo"; file_name?: string; mime_type?: string },
  ): StoredFile {
    this.counter += 1;
    const ext = meta.kind === "photo" ? ".jpg" : extname(meta.file_name ?? "") || "";
    const file: StoredFile = {
      file_id: `${FILE_ID_PREFIX[meta.kind]}${randomBytes(30).toString("base64url")}`,
      file_unique_id: `AgAD${randomBytes(9).toString("base64url")}`,
      file_path: `${meta.kind === "photo" ? "photos" : "documents"}/file_${this.counter}${ext}`,
      file_size: data.length,
      kind: meta.kind,
      data,
    };
    if (meta.file_name !== undefined) file.file_name = meta.file_name;
    const mime = meta.kind === "photo" ? undefined : guessMimeType(meta.file_name, meta.mime_type);
    if (mime !== undefined) file.mime_type = mime;
    if (meta.kind === "photo") Object.assign(file, imageSize(data) ?? { width: 0, height: 0 });
    this.byId.set(file.file_id, file);
    this.byPath.set(file.file_path, file);
    return file;
  }

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  getByPath(path: string): StoredFile | undefined {
    return this.byPath.get(path);
  }
}
