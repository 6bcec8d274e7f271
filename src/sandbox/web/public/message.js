// Draws one chat message (bot's or user's) as DOM, never as injected HTML.
import { renderEntities, safeUrl } from "./render.js";

export const settings = { timezone: "Asia/Shanghai" };

function formatTime(unixSeconds) {
  return new Intl.DateTimeFormat("zh-CN", {
    timeZone: settings.timezone,
    month: "numeric",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(unixSeconds * 1000));
}

function fileUrl(fileId, download) {
  return `/api/files/${encodeURIComponent(fileId)}${download ? "?download=1" : ""}`;
}

/**
 * One message as a list item: media, contact, text drawn from its entities, the time, "edited",
 * and its inline keyboard. `onCommand(text)` runs a /command pressed in the text; `onPress(messageId,
 * data, button)` presses an inline button.
 */
export function renderMessage(m, { onCommand, onPress, onShare }) {
  const li = document.createElement("li");
  li.className = `msg ${m.side}${m.deleted ? " deleted" : ""}`;
  li.id = `m-${m.message_id}`;
  li.dataset.messageId = String(m.message_id);
  const bubble = document.createElement("div");
  bubble.className = "bubble";
  const who = document.createElement("span");
  who.className = "visually-hidden";
  who.textContent = m.side === "bot" ? "机器人 · Bot: " : "我 · Me: ";
  bubble.append(who);
  if (m.photo?.length) bubble.append(renderPhoto(m.photo[m.photo.length - 1]));
  if (m.document) bubble.append(renderDocument(m.document));
  if (m.contact) {
    const c = document.createElement("div");
    c.className = "contact";
    c.textContent = `📱 ${m.contact.first_name ?? ""} ${m.contact.phone_number}`;
    bubble.append(c);
  }
  if (m.text) {
    const text = document.createElement("div");
    text.className = "text";
    text.append(renderEntities(m.text, m.entities ?? [], m.side === "bot" ? onCommand : undefined));
    bubble.append(text);
  }
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.textContent = `${m.edited ? "已编辑 · edited  " : ""}${formatTime(m.date)}`;
  bubble.append(meta);
  li.append(bubble);
  const rows = m.reply_markup?.inline_keyboard;
  if (Array.isArray(rows) && rows.length > 0) li.append(renderInline(m.message_id, rows, onPress, onShare));
  return li;
}

function renderPhoto(size) {
  const a = document.createElement("a");
  a.href = fileUrl(size.file_id, false);
  a.target = "_blank";
  a.rel = "noopener";
  const img = document.createElement("img");
  img.className = "photo";
  img.src = fileUrl(size.file_id, false);
  img.alt = "图片（点一下放大）· Photo (open full size)";
  img.loading = "lazy";
  a.append(img);
  return a;
}

function renderDocument(doc) {
  const box = document.createElement("div");
  box.className = "doc";
  const isImage = /^image\/(png|jpeg|gif|webp)$/.test(doc.mime_type ?? "");
  if (isImage) {
    const img = document.createElement("img");
    img.className = "photo";
    img.src = fileUrl(doc.file_id, false);
    img.alt = doc.file_name ?? "image";
    box.append(img);
  } else {
    const icon = document.createElement("span");
    icon.className = "doc-icon";
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = "📄";
    box.append(icon);
  }
  const info = document.createElement("div");
  const name = document.createElement("div");
  name.textContent = `${doc.file_name ?? "file"} (${Math.max(1, Math.round(doc.file_size / 1024))} KB)`;
  const links = document.createElement("div");
  links.className = "doc-links";
  const canPreview = isImage || doc.mime_type === "application/pdf";
  if (canPreview) {
    const view = document.createElement("a");
    view.href = fileUrl(doc.file_id, false);
    view.target = "_blank";
    view.rel = "noopener";
    view.textContent = "预览 · Preview";
    links.append(view);
  }
  const dl = document.createElement("a");
  dl.href = fileUrl(doc.file_id, true);
  dl.download = doc.file_name ?? "";
  dl.textContent = "下载 · Download";
  links.append(dl);
  info.append(name, links);
  box.append(info);
  return box;
}

function renderInline(messageId, rows, onPress, onShare) {
  const kb = document.createElement("div");
  kb.className = "inline-kb";
  kb.setAttribute("role", "group");
  kb.setAttribute("aria-label", "消息按钮 · Message buttons");
  for (const row of rows) {
    const r = document.createElement("div");
    r.className = "kb-row";
    for (const b of row) {
      if (b.url) {
        const href = safeUrl(b.url);
        const a = document.createElement(href ? "a" : "span");
        if (href) {
          a.href = href;
          a.target = "_blank";
          a.rel = "noopener noreferrer";
        }
        a.textContent = `${b.text} ↗`;
        r.append(a);
        continue;
      }
      const btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = b.text;
      const chosen = b.switch_inline_query_chosen_chat;
      if (typeof b.callback_data === "string") {
        btn.addEventListener("click", () => onPress(messageId, b.callback_data, btn));
      } else if (chosen && onShare) {
        btn.classList.add("share");
        btn.setAttribute("aria-haspopup", "dialog");
        btn.addEventListener("click", () => onShare(chosen.query ?? "", btn));
      } else {
        btn.disabled = true;
        btn.title = "沙盒不支持这种按钮 · Not supported in the sandbox";
      }
      r.append(btn);
    }
    kb.append(r);
  }
  return kb;
}
