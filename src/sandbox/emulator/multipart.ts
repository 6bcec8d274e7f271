/** One file part of a multipart/form-data body. */
export interface UploadedFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** Fields and files of a multipart/form-data body. */
export interface MultipartBody {
  fields: Record<string, string>;
  files: Map<string, UploadedFile>;
}

/** Extracts the boundary from a Content-Type header, if it is multipart. */
export function multipartBoundary(contentType: string): string | undefined {
  if (!/^multipart\/form-data/i.test(contentType)) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

function dispositionParam(header: string, key: "name" | "filename"): string | undefined {
  // `name=` must not match inside `filename=`, hence the anchor.
  const quoted = new RegExp(`(?:^|;)\\s*${key}="([^"]*)"`, "i").exec(header);
  if (quoted?.[1] !== undefined) return quoted[1];
  // grammY writes `filename=` unquoted and last on the line, so take the rest.
  const pattern = key === "filename" ? /(?:^|;)\s*filename=(.*)$/i : /(?:^|;)\s*name=([^;]*)/i;
  return pattern.exec(header)?.[1]?.trim();
}

function parsePart(part: Buffer, out: MultipartBody): void {
  const headerEnd = part.indexOf("\r\n\r\n");
  if (headerEnd < 0) return;
  const headers = new Map<string, string>();
  for (const line of part.subarray(0, headerEnd).toString("utf8").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headers.get("content-disposition") ?? "";
  const afterType = disposition.replace(/^form-data\s*;?/i, "");
  const name = dispositionParam(afterType, "name");
  if (name === undefined) return;
  const data = part.subarray(headerEnd + 4);
  const filename = dispositionParam(afterType, "filename");
  if (filename === undefined) {
    out.fields[name] = data.toString("utf8");
    return;
  }
  out.files.set(name, {
    filename,
    contentType: headers.get("content-type") ?? "application/octet-stream",
    data: Buffer.from(data),
  });
}

/**
 * Parses a multipart/form-data body. Parts without a filename become string
 * fields (grammY sends objects such as reply_markup as JSON strings); parts
 * with one become files, addressable by their part name (attach://name).
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartBody {
  const out: MultipartBody = { fields: {}, files: new Map() };
  const delimiter = Buffer.from(`--${boundary}`);
  const between = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) return out;
  pos += delimiter.length;
  while (pos < body.length) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // "--": closing delimiter
    // Skip transport padding and the CRLF that ends the delimiter line.
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const next = body.indexOf(between, pos);
    if (next < 0) break;
    parsePart(body.subarray(pos, next), out);
    pos = next + between.length;
  }
  return out;
}
