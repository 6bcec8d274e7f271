import { Api, GrammyError, HttpError } from "grammy";
import type { Config } from "../config.ts";

export type Status = "ok" | "warn" | "fail" | "skip";

/** One line of `doctor`: what was checked, how it went, and what to do about it. */
export interface CheckResult {
  name: string;
  status: Status;
  message: string;
}

/** A failure to reach the Bot API at all (no answer), as opposed to an answer we do not like. */
function unreachable(err: unknown): string | undefined {
  if (!(err instanceof HttpError)) return undefined;
  const cause = err.error as { code?: string; cause?: { code?: string }; message?: string } | undefined;
  const code = cause?.code ?? cause?.cause?.code;
  return code ?? cause?.message ?? err.message;
}

/** getMe, then getWebhookInfo against what BOT_MODE expects. No answer at all is "skip", not "fail". */
export async function telegramChecks(config: Config, timeoutSeconds: number): Promise<CheckResult[]> {
  const mode = config.mode;
  if (mode.kind === "sandbox")
    return [
      { name: "token", status: "skip", message: "no BOT_TOKEN to check" },
      { name: "webhook", status: "skip", message: "no BOT_TOKEN to check" },
    ];
  const api = new Api(mode.token, { apiRoot: config.apiRoot, timeoutSeconds });
  const cannot = (name: string, why: string): CheckResult => ({
    name,
    status: "skip",
    message: `could not check: ${config.apiRoot} did not answer (${why}); is there a network?`,
  });
  let me: Awaited<ReturnType<Api["getMe"]>>;
  try {
    me = await api.getMe();
  } catch (err) {
    const why = unreachable(err);
    if (why) return [cannot("token", why), cannot("webhook", why)];
    const rejected =
      err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)
        ? `Telegram rejects BOT_TOKEN (${err.error_code} ${err.description}): copy the token again from @BotFather (/mybots → API Token)`
        : `getMe failed: ${err instanceof Error ? err.message : String(err)}`;
    return [
      { name: "token", status: "fail", message: rejected },
      { name: "webhook", status: "skip", message: "could not check without a working token" },
    ];
  }
  const results: CheckResult[] = [{ name: "token", status: "ok", message: `@${me.username} (id ${me.id})` }];
  try {
    const info = await api.getWebhookInfo();
    const lastError = info.last_error_message
      ? `; Telegram's last delivery error: "${info.last_error_message}" at ${new Date((info.last_error_date ?? 0) * 1000).toISOString()}`
      : "";
    const backlog = info.pending_update_count > 100 ? `; ${info.pending_update_count} updates waiting` : "";
    if (mode.kind === "polling") {
      results.push(
        info.url
          ? {
              name: "webhook",
              status: "fail",
              message: `a webhook is set (${info.url}) but BOT_MODE=polling: another deployment uses this token, or set BOT_MODE=webhook; the bot deletes it when it starts polling`,
            }
          : { name: "webhook", status: "ok", message: `none set, as polling needs${backlog}` },
      );
    } else if (!info.url) {
      results.push({
        name: "webhook",
        status: "fail",
        message: `no webhook set, but BOT_MODE=webhook: start the bot, which registers ${mode.url}`,
      });
    } else if (info.url !== mode.url) {
      results.push({
        name: "webhook",
        status: "fail",
        message: `the webhook points at ${info.url}, not WEBHOOK_URL ${mode.url}: restart the bot to register it, or fix WEBHOOK_URL`,
      });
    } else {
      results.push({
        name: "webhook",
        status: lastError || backlog ? "warn" : "ok",
        message: `set to ${info.url}${lastError}${backlog}${lastError ? " (check the reverse proxy and its certificate)" : ""}`,
      });
    }
  } catch (err) {
    const why = unreachable(err);
    results.push(
      why
        ? cannot("webhook", why)
        : { name: "webhook", status: "fail", message: `getWebhookInfo failed: ${String(err)}` },
    );
  }
  return results;
}
