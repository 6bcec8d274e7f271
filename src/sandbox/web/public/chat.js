// One persona's private chat with the bot: messages, keyboards, the command menu, live events;
// or, read-only, the school's channel, where only the bot posts.
import { api } from "./api.js";
import { pickShare } from "./share.js";
import { renderMessage } from "./message.js";

const $ = (id) => document.getElementById(id);

/**
 * What a failed Bot API call means to the person watching, in both languages: Telegram's own
 * wording ("Too Many Requests: retry after 1") is for the log, not for the chat.
 */
export function apiErrorWords(e) {
  if (e.error_code === 429)
    return "⏳ 发得太快，机器人稍后再发。· Sending too fast; the bot will send it in a moment.";
  if (e.error_code === 403) return "⚠ 机器人不能给这个聊天发消息。· The bot may not write to this chat.";
  return "⚠ 机器人有一条消息没发出去。· A message from the bot could not be delivered.";
}

export class ChatView {
  /** `persona` is the chat's owner; for the channel, `{ id }` of the channel and `readOnly`. */
  constructor(persona, { onError, readOnly = false }) {
    this.persona = persona;
    this.onError = onError;
    this.readOnly = readOnly;
    this.items = new Map();
    this.pending = new Map();
    this.source = undefined;
    this.list = $("messages");
  }

  async open() {
    const snap = await api(this.readOnly ? "channel" : `chats/${this.persona.id}`);
    this.list.replaceChildren();
    this.items.clear();
    for (const m of snap.messages) this.put(m, false);
    this.showEmpty();
    this.setReplyKeyboard(snap.reply_keyboard ?? null);
    this.setCommands(snap.commands ?? []);
    // A channel has no message box: people read it, only the bot posts.
    $("composer").hidden = this.readOnly;
    $("read-only").hidden = !this.readOnly;
    this.scrollDown();
    this.listen(snap.last_seq);
  }

  close() {
    this.source?.close();
    this.source = undefined;
    this.port?.postMessage({ close: true });
    this.port = undefined;
  }

  /**
   * Follows this chat's events. All tabs share one stream through a SharedWorker (a browser
   * holds at most six connections to a host); without one, this tab opens the stream itself.
   */
  listen(after) {
    const chatId = this.persona.id;
    if (typeof SharedWorker === "function") {
      const worker = new SharedWorker("events-worker.js", { name: "sandbox-events" });
      this.port = worker.port;
      this.port.onmessage = (msg) => this.onEvent(msg.data);
      this.port.start();
      this.port.postMessage({ chatId, after });
      return;
    }
    this.source = new EventSource(`/api/events?after=${after}`);
    this.source.onmessage = (ev) => {
      const e = JSON.parse(ev.data);
      if (e.type === "commands" || e.chat_id === chatId) this.onEvent(e);
    };
    this.source.addEventListener("reset", () => this.onEvent({ type: "reset" }));
  }

  /** A chat with nothing in it yet: one button to say hello, as Telegram's own Start. */
  showEmpty() {
    this.list.querySelector(".empty-chat")?.remove();
    if (this.items.size > 0) return;
    const li = document.createElement("li");
    li.className = "empty-chat";
    const p = document.createElement("p");
    if (this.readOnly) {
      p.textContent =
        "频道里还没有帖子。运行“频道”任务或把时钟拨快。· No posts yet. Run the channel job or move the clock on.";
      li.append(p);
      this.list.append(li);
      return;
    }
    p.textContent =
      "还没有消息。点“开始”和机器人打招呼。· No messages yet. Press Start to say hello to the bot.";
    const b = document.createElement("button");
    b.type = "button";
    b.id = "start-chat";
    b.textContent = "▶ 开始 · Start";
    b.addEventListener("click", () => {
      this.send("/start");
      $("text").focus();
    });
    li.append(p, b);
    this.list.append(li);
  }

  /** Whatever the bot does in this chat counts as its answer: pressed buttons stop waiting. */
  settle() {
    for (const b of this.list.querySelectorAll("[aria-busy]")) b.removeAttribute("aria-busy");
    this.pending.clear();
  }

  onEvent(e) {
    if (e.type === "reset") {
      this.close();
      location.hash = "";
      location.reload();
      return;
    }
    if (["message", "edit", "delete", "apiError"].includes(e.type)) this.settle();
    switch (e.type) {
      case "message":
        this.put(e.message, true);
        if (e.message.side === "bot" && e.message.reply_markup) {
          const rm = e.message.reply_markup;
          if (rm.keyboard) this.setReplyKeyboard(rm);
          else if (rm.remove_keyboard) this.setReplyKeyboard(null);
        }
        this.scrollDown();
        break;
      case "edit":
        this.put(e.message, false);
        break;
      case "delete": {
        const li = this.items.get(e.message_id);
        if (li) {
          li.classList.add("deleted");
          li.setAttribute("aria-label", "已删除 · deleted");
        }
        break;
      }
      case "callbackAnswer":
        this.answered(e);
        break;
      case "commands":
        if (this.readOnly) break;
        api(`chats/${this.persona.id}`).then((s) => this.setCommands(s.commands), this.onError);
        break;
      case "apiError":
        this.toast(apiErrorWords(e));
        break;
      default:
        break;
    }
  }

  /** Adds a message, or replaces it in place (an edit keeps its position, as in Telegram). */
  put(m, isNew) {
    const li = renderMessage(m, {
      onCommand: (cmd) => this.send(cmd),
      onPress: (messageId, data, btn) => this.press(messageId, data, btn),
      onShare: (query, btn) => this.share(query, btn),
    });
    const old = this.items.get(m.message_id);
    if (old) old.replaceWith(li);
    else this.list.append(li);
    this.list.querySelector(".empty-chat")?.remove();
    this.items.set(m.message_id, li);
    if (isNew && m.side === "bot") li.classList.add("fresh");
  }

  /** A Share button (switch_inline_query_chosen_chat): the bot's results, then a chat to drop one into. */
  async share(query, btn) {
    btn.setAttribute("aria-busy", "true");
    try {
      const asked = await api(`chats/${this.persona.id}/inline`, { query });
      btn.removeAttribute("aria-busy");
      const personas = (await api("personas")).filter((p) => p.id !== this.persona.id);
      const chosen = await pickShare(asked.results, personas);
      if (!chosen) return;
      await api(`chats/${this.persona.id}/share`, {
        query_id: asked.query_id,
        result_id: chosen.resultId,
        chat_id: chosen.chatId,
      });
      this.toast(`✅ 已发到 ${chosen.name} 的聊天。· Sent into ${chosen.name}'s chat.`);
    } catch (err) {
      btn.removeAttribute("aria-busy");
      this.onError(err);
    }
  }

  async press(messageId, data, btn) {
    if (this.readOnly) {
      this.toast("📢 频道里的按钮要在 Telegram 里点。· Channel buttons are pressed in Telegram.");
      return;
    }
    btn.setAttribute("aria-busy", "true");
    try {
      const { queryId } = await api(`chats/${this.persona.id}/press`, {
        message_id: messageId,
        callback_data: data,
      });
      this.pending.set(queryId, btn);
      // As in Telegram, typing can go on at once: the message box has the focus again.
      $("text").focus();
      // A bot that never answers leaves the button spinning in Telegram; here it gives up after 15 s.
      setTimeout(() => {
        if (this.pending.delete(queryId)) btn.removeAttribute("aria-busy");
      }, 15_000);
    } catch (err) {
      btn.removeAttribute("aria-busy");
      this.onError(err);
    }
  }

  answered(e) {
    const btn = this.pending.get(e.queryId);
    for (const [id, b] of this.pending) {
      if (b === btn || !b.isConnected) this.pending.delete(id);
    }
    btn?.removeAttribute("aria-busy");
    for (const b of this.list.querySelectorAll(`#m-${e.messageId} [aria-busy]`))
      b.removeAttribute("aria-busy");
    if (!e.text) return;
    if (e.show_alert) {
      $("alert-text").textContent = e.text;
      $("alert").showModal();
    } else this.toast(e.text);
  }

  toast(text) {
    const t = $("toast");
    t.textContent = text;
    t.classList.add("shown");
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => t.classList.remove("shown"), 3500);
  }

  async send(text) {
    try {
      await api(`chats/${this.persona.id}/text`, { text });
    } catch (err) {
      this.onError(err);
    }
  }

  async shareContact() {
    try {
      await api(`chats/${this.persona.id}/contact`, {});
    } catch (err) {
      this.onError(err);
    }
  }

  setReplyKeyboard(markup) {
    const box = $("reply-keyboard");
    const rowsBox = $("reply-keyboard-rows");
    const toggle = $("kb-toggle");
    rowsBox.replaceChildren();
    const rows = markup?.keyboard ?? [];
    for (const row of rows) {
      const r = document.createElement("div");
      r.className = "kb-row";
      for (const b of row) {
        const label = typeof b === "string" ? b : b.text;
        const btn = document.createElement("button");
        btn.type = "button";
        btn.textContent = label;
        if (b.request_contact) {
          btn.setAttribute("aria-description", "分享这个身份的手机号 · Shares this persona's phone number");
          btn.addEventListener("click", () => this.shareContact());
        } else {
          btn.addEventListener("click", () => this.send(label));
        }
        r.append(btn);
      }
      rowsBox.append(r);
    }
    const has = rows.length > 0;
    box.hidden = !has;
    toggle.hidden = !has;
    toggle.setAttribute("aria-expanded", String(has));
    $("text").placeholder = markup?.input_field_placeholder ?? "输入消息… · Message…";
  }

  setCommands(commands) {
    const menu = $("command-menu");
    const items = $("command-menu-items");
    items.replaceChildren();
    for (const c of commands) {
      const btn = document.createElement("button");
      btn.type = "button";
      const cmd = document.createElement("span");
      cmd.className = "cmd";
      cmd.textContent = `/${c.command}`;
      const desc = document.createElement("span");
      desc.textContent = c.description;
      btn.append(cmd, desc);
      btn.addEventListener("click", () => {
        menu.hidden = true;
        $("menu-button").setAttribute("aria-expanded", "false");
        this.send(`/${c.command}`);
        $("text").focus();
      });
      items.append(btn);
    }
    $("menu-button").disabled = commands.length === 0;
  }

  scrollDown() {
    this.list.scrollTop = this.list.scrollHeight;
  }
}
