// The page talks only to the sandbox's own server (same origin).

export class ApiError extends Error {}

/** Calls the sandbox API; resolves with `result`, rejects with the server's message. */
export async function api(path, body) {
  const init =
    body === undefined
      ? { method: "GET" }
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const res = await fetch(`/api/${path}`, init);
  let data;
  try {
    data = await res.json();
  } catch {
    throw new ApiError(
      `沙盒服务器出错（HTTP ${res.status}）· The sandbox server failed (HTTP ${res.status})`,
    );
  }
  if (!data.ok)
    throw new ApiError(
      data.error ?? `沙盒服务器出错（HTTP ${res.status}）· The sandbox server failed (HTTP ${res.status})`,
    );
  return data.result;
}
