// The share picker: as Telegram's chat chooser after a "Share" button, the person picks one of the
// bot's inline results and another persona's chat (the family group of real life) to send it into.
const $ = (id) => document.getElementById(id);

function choice(name, value, title, detail, checked) {
  const label = document.createElement("label");
  label.className = "share-choice";
  const input = document.createElement("input");
  input.type = "radio";
  input.name = name;
  input.value = value;
  input.checked = checked;
  input.required = true;
  const text = document.createElement("span");
  const strong = document.createElement("strong");
  strong.textContent = title;
  text.append(strong);
  if (detail) {
    const small = document.createElement("span");
    small.className = "role";
    small.textContent = detail;
    text.append(small);
  }
  label.append(input, text);
  return label;
}

const nameOf = (p) => (p.last_name ? `${p.first_name} ${p.last_name}` : p.first_name);

/**
 * Opens the picker; resolves with `{ resultId, chatId, name }`, or undefined when cancelled or
 * when the bot found nothing to share (then the dialog says so).
 */
export function pickShare(results, personas) {
  const dialog = $("share-dialog");
  const form = $("share-form");
  const resultsBox = $("share-results");
  resultsBox.replaceChildren(
    ...results.map((r, i) => choice("result", r.id, r.title, r.description, i === 0)),
  );
  if (results.length === 0) {
    const p = document.createElement("p");
    p.textContent = "没有可以分享的内容。· Nothing to share.";
    resultsBox.append(p);
  }
  $("share-targets").replaceChildren(
    ...personas.map((p) => choice("target", String(p.id), nameOf(p), `${p.label.zh} · ${p.label.en}`, false)),
  );
  $("share-send").disabled = results.length === 0;
  return new Promise((resolve) => {
    dialog.addEventListener(
      "close",
      () => {
        const data = new FormData(form);
        const resultId = data.get("result");
        const chatId = Number(data.get("target"));
        const target = personas.find((p) => p.id === chatId);
        form.reset();
        if (dialog.returnValue !== "ok" || !resultId || !target) resolve(undefined);
        else resolve({ resultId: String(resultId), chatId, name: nameOf(target) });
      },
      { once: true },
    );
    dialog.returnValue = "";
    dialog.showModal();
  });
}
