// The sandbox page: persona picker, one chat per tab (the persona is in the URL's #hash, the
// school's channel at #channel), time panel.
import { ApiError, api } from "./api.js";
import { ChatView } from "./chat.js";
import { TimePanel } from "./time.js";

const $ = (id) => document.getElementById(id);
let chat;

function showError(err) {
  // The server's messages are bilingual; anything else (a network failure) gets bilingual words.
  const text =
    err instanceof ApiError
      ? err.message
      : `连不上沙盒服务器，请稍后再试。· The sandbox server cannot be reached; try again in a moment.`;
  $("alert-text").textContent = `⚠ ${text}`;
  $("alert").showModal();
}

const panel = new TimePanel({ onError: showError });

function personaButton(p) {
  const li = document.createElement("li");
  const b = document.createElement("button");
  b.type = "button";
  b.dataset.persona = String(p.id);
  const name = document.createElement("strong");
  name.textContent = p.last_name ? `${p.first_name} ${p.last_name}` : p.first_name;
  const role = document.createElement("span");
  role.className = "role";
  role.textContent = p.label.zh === p.label.en ? p.label.zh : `${p.label.zh} · ${p.label.en}`;
  b.append(name, role);
  b.addEventListener("click", () => {
    location.hash = `#${p.id}`;
  });
  li.append(b);
  return li;
}

async function showPicker() {
  chat?.close();
  chat = undefined;
  panel.setPersona(undefined);
  document.title = "Lifelong 沙盒 · Sandbox";
  $("chat").hidden = true;
  $("switch-persona").hidden = true;
  $("picker").hidden = false;
  const [personas, channel] = await Promise.all([api("personas"), api("channel")]);
  $("persona-list").replaceChildren(...personas.map(personaButton));
  $("channel-entry").hidden = !channel;
  if (channel) $("channel-name").textContent = channel.channel.title;
}

/** The school's channel: the bot's posts as a chat, with no message box. */
async function showChannel() {
  const snap = await api("channel");
  if (!snap) {
    location.hash = "";
    return;
  }
  chat?.close();
  $("picker").hidden = true;
  $("chat").hidden = false;
  $("switch-persona").hidden = false;
  $("chat-title").textContent = `📢 ${snap.channel.title}`;
  $("chat-sub").textContent = `频道 · Channel · id ${snap.channel.id}`;
  document.title = `${snap.channel.title} — Lifelong 沙盒 · Sandbox`;
  panel.setPersona(undefined);
  chat = new ChatView({ id: snap.channel.id }, { onError: showError, readOnly: true });
  await chat.open();
}

async function showChat(id) {
  const personas = await api("personas");
  const persona = personas.find((p) => p.id === id);
  if (!persona) {
    location.hash = "";
    return;
  }
  chat?.close();
  $("picker").hidden = true;
  $("chat").hidden = false;
  $("switch-persona").hidden = false;
  $("composer").hidden = false;
  $("read-only").hidden = true;
  const name = persona.last_name ? `${persona.first_name} ${persona.last_name}` : persona.first_name;
  $("chat-title").textContent = name;
  $("chat-sub").textContent = `${persona.label.zh} · ${persona.label.en} · id ${persona.id}`;
  document.title = `${name} — Lifelong 沙盒 · Sandbox`;
  document.documentElement.lang = persona.language_code === "en" ? "en" : "zh-CN";
  panel.setPersona(persona);
  chat = new ChatView(persona, { onError: showError });
  await chat.open();
  $("text").focus();
}

function route() {
  if (location.hash === "#channel") {
    showChannel().catch(showError);
    return;
  }
  const id = Number(location.hash.slice(1));
  const go = Number.isInteger(id) && id > 0 ? showChat(id) : showPicker();
  go.catch(showError);
}

$("composer").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const input = $("text");
  const text = input.value.trim();
  if (!text || !chat) return;
  input.value = "";
  chat.send(text);
});

$("menu-button").addEventListener("click", () => {
  const menu = $("command-menu");
  menu.hidden = !menu.hidden;
  $("menu-button").setAttribute("aria-expanded", String(!menu.hidden));
  if (!menu.hidden) menu.querySelector("button")?.focus();
});

$("command-menu").addEventListener("keydown", (ev) => {
  if (ev.key === "Escape") {
    $("command-menu").hidden = true;
    $("menu-button").setAttribute("aria-expanded", "false");
    $("menu-button").focus();
  }
});

$("kb-toggle").addEventListener("click", () => {
  const box = $("reply-keyboard");
  box.hidden = !box.hidden;
  $("kb-toggle").setAttribute("aria-expanded", String(!box.hidden));
});

$("open-channel").addEventListener("click", () => {
  location.hash = "#channel";
});

// The public catalog page is served by this same server; its address is shown so it can be shared.
$("catalog-addr").textContent = `${location.host}/courses`;

$("switch-persona").addEventListener("click", () => {
  location.hash = "";
});

$("new-persona").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const form = new FormData(ev.currentTarget);
  try {
    const p = await api("personas", {
      name: String(form.get("name") ?? ""),
      language: String(form.get("language") ?? "zh"),
    });
    location.hash = `#${p.id}`;
  } catch (err) {
    showError(err);
  }
});

// On <html>: rem units are relative to the root's font size, so the whole page follows.
function setLarge(on) {
  document.documentElement.classList.toggle("large", on);
  $("large-text").setAttribute("aria-pressed", String(on));
  localStorage.setItem("sandbox-large-text", on ? "1" : "0");
}
$("large-text").addEventListener("click", () =>
  setLarge(!document.documentElement.classList.contains("large")),
);
setLarge(localStorage.getItem("sandbox-large-text") === "1");

window.addEventListener("hashchange", route);
panel.refresh().catch(showError).finally(route);
// The clock moves on by itself and jobs run on their own ticks; keep the panel current.
setInterval(() => panel.refresh().catch(() => {}), 15_000);
