// One persona's private chat with the bot: messages, keyboards, the command menu, live events.
import { api } from "./api.js";
import { renderMessage } from "./message.js";

const $ = (id) => document.getElementById(id);

export class ChatView {
  constructor(persona, { onError }) {
    this.persona = persona;
    this.onError = onError;
    this.items = new Map();
    this.pending = new Map();
    this.source = undefined;
    this.list = $("messages");
  }

  async open() {
    const snap = await api(`chats/${this.persona.id}`);
    this.list.replaceChildren();
    this.items.clear();
    for (const m of snap.messages) this.put(m, false);
    this.setReplyKeyboard(snap.reply_keyboard);
    this.setCommands(snap.commands);
    this.scrollDown();
    this.listen(snap.last_seq);
  }

  close() {
    this.source?.close();
    this.source = undefined;
  }

  listen(after) {
    this.source = new EventSource(`/api/chats/${this.persona.id}/events?after=${after}`);
    this.source.onmessage = (ev) => this.onEvent(JSON.parse(ev.data));
    this.source.addEventListener("reset", () => {
      this.close();
      location.hash = "";
      location.reload();
    });
  }

  onEvent(e) {
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
        api(`chats/${this.persona.id}`).then((s) => this.setCommands(s.commands), this.onError);
        break;
      case "apiError":
        this.toast(`⚠ ${e.method}: ${e.description}`);
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
    });
    const old = this.items.get(m.message_id);
    if (old) old.replaceWith(li);
    else this.list.append(li);
    this.items.set(m.message_id, li);
    if (isNew && m.side === "bot") li.classList.add("fresh");
  }

  async press(messageId, data, btn) {
    btn.setAttribute("aria-busy", "true");
    try {
      const { queryId } = await api(`chats/${this.persona.id}/press`, {
        message_id: messageId,
        callback_data: data,
      });
      this.pending.set(queryId, btn);
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
