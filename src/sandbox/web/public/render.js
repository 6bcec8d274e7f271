// Turns a message's text + entities into DOM nodes. The bot's HTML is never injected: every
// piece of text becomes a text node, and only known entity types become elements.

const SIMPLE = {
  bold: "b",
  italic: "i",
  underline: "u",
  strikethrough: "s",
  code: "code",
  blockquote: "blockquote",
  expandable_blockquote: "blockquote",
};

/** Only links a person would expect to follow; anything else (javascript:, data:) stays text. */
export function safeUrl(url) {
  try {
    const u = new URL(url);
    return ["http:", "https:", "mailto:", "tel:", "tg:"].includes(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

function link(href) {
  const a = document.createElement("a");
  a.href = href;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  return a;
}

/** Returns { outer, inner }: the element to insert and the one that receives the children. */
function elementFor(entity, slice, onCommand) {
  const tag = SIMPLE[entity.type];
  if (tag) {
    const el = document.createElement(tag);
    return { outer: el, inner: el };
  }
  switch (entity.type) {
    case "pre": {
      const pre = document.createElement("pre");
      const code = document.createElement("code");
      if (entity.language) code.dataset.language = entity.language;
      pre.append(code);
      return { outer: pre, inner: code };
    }
    case "text_link": {
      const href = safeUrl(entity.url ?? "");
      if (!href) break;
      const a = link(href);
      return { outer: a, inner: a };
    }
    case "url": {
      const href = safeUrl(/^[a-z]+:/i.test(slice) ? slice : `https://${slice}`);
      if (!href) break;
      const a = link(href);
      return { outer: a, inner: a };
    }
    case "email": {
      const a = link(`mailto:${slice}`);
      return { outer: a, inner: a };
    }
    case "spoiler": {
      const s = document.createElement("span");
      s.className = "spoiler";
      s.tabIndex = 0;
      s.setAttribute("role", "button");
      s.setAttribute("aria-label", "隐藏内容，点一下显示 · Hidden text, press to show");
      const reveal = () => {
        s.classList.add("shown");
        s.removeAttribute("role");
        s.removeAttribute("aria-label");
        s.tabIndex = -1;
      };
      s.addEventListener("click", reveal);
      s.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          reveal();
        }
      });
      return { outer: s, inner: s };
    }
    case "bot_command": {
      if (!onCommand) break;
      const b = document.createElement("button");
      b.type = "button";
      b.className = "bot-command";
      b.addEventListener("click", () => onCommand(slice));
      return { outer: b, inner: b };
    }
    default:
      break;
  }
  const span = document.createElement("span");
  span.className = `entity-${String(entity.type).replace(/[^a-z_]/g, "")}`;
  return { outer: span, inner: span };
}

function build(parent, text, start, end, entities, onCommand) {
  let pos = start;
  let i = 0;
  while (i < entities.length) {
    const e = entities[i];
    const eEnd = e.offset + e.length;
    // Entities that begin inside this one are its children (Telegram's entities nest).
    let j = i + 1;
    const inner = [];
    while (j < entities.length && entities[j].offset < eEnd) inner.push(entities[j++]);
    const from = Math.max(e.offset, pos);
    const to = Math.min(eEnd, end);
    if (from > pos) parent.append(text.slice(pos, from));
    if (to > from) {
      const { outer, inner: target } = elementFor(e, text.slice(from, to), onCommand);
      build(target, text, from, to, inner, onCommand);
      parent.append(outer);
      pos = to;
    }
    i = j;
  }
  if (pos < end) parent.append(text.slice(pos, end));
}

/**
 * Renders `text` with Telegram `entities` (offsets in UTF-16 code units, as JS strings index)
 * into a fragment. `onCommand(text)` makes /commands in bot messages pressable.
 */
export function renderEntities(text, entities = [], onCommand) {
  const frag = document.createDocumentFragment();
  const sorted = entities
    .filter((e) => Number.isInteger(e.offset) && Number.isInteger(e.length) && e.length > 0)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  build(frag, text, 0, text.length, sorted, onCommand);
  return frag;
}
