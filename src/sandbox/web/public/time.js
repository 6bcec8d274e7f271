// The time panel: the sandbox clock, moving it forward, running jobs now, starting afresh.
import { api } from "./api.js";
import { settings } from "./message.js";

const $ = (id) => document.getElementById(id);

// Labels come with the jobs from the server (time-panel.ts), one place for both languages.
const labels = new Map();
const labelOf = (name) => labels.get(name) ?? name;

function formatNow(iso) {
  return new Intl.DateTimeFormat("zh-CN", {
    timeZone: settings.timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(iso));
}

function formatOffset(ms) {
  if (ms < 60_000) return "= 真实时间 · real time";
  const minutes = Math.round(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [d ? `${d} d` : "", h ? `${h} h` : "", m ? `${m} min` : ""].filter(Boolean).join(" ");
  return `比真实时间快 ${parts} · ${parts} ahead of real time (${settings.timezone})`;
}

function describe(result) {
  if (!result) return "";
  return Object.entries(result)
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
}

export class TimePanel {
  constructor({ onError, persona }) {
    this.onError = onError;
    this.persona = persona;
    this.jobsDrawn = false;
    for (const b of document.querySelectorAll("[data-advance]")) {
      b.addEventListener("click", () =>
        this.act(b, () => api("time/advance", { minutes: Number(b.dataset.advance) })),
      );
    }
    $("jump-reminder").addEventListener("click", (ev) => this.jump(ev.currentTarget));
    $("reset").addEventListener("click", () => this.reset());
  }

  async refresh() {
    const state = await api("time");
    this.draw(state);
    return state;
  }

  draw(state) {
    settings.timezone = state.timezone;
    $("clock-now").textContent = formatNow(state.now);
    $("clock-now").dataset.iso = state.now;
    $("clock-offset").textContent = formatOffset(state.offset_ms);
    const list = $("jobs");
    if (!this.jobsDrawn) {
      list.replaceChildren();
      for (const job of state.jobs) {
        labels.set(job.name, `${job.label.zh} · ${job.label.en}`);
        const li = document.createElement("li");
        const name = document.createElement("span");
        name.className = "job-name";
        const title = document.createElement("span");
        title.textContent = labelOf(job.name);
        const last = document.createElement("span");
        last.className = "sub";
        last.dataset.last = job.name;
        name.append(title, last);
        const run = document.createElement("button");
        run.type = "button";
        run.textContent = "运行 · Run";
        run.dataset.job = job.name;
        run.setAttribute("aria-label", `运行 ${job.label.zh} · Run ${job.label.en} now`);
        run.addEventListener("click", () => this.run(run, job.name));
        li.append(name, run);
        list.append(li);
      }
      this.jobsDrawn = true;
    }
    for (const job of state.jobs) {
      const last = list.querySelector(`[data-last="${CSS.escape(job.name)}"]`);
      if (last)
        last.textContent = job.last_run_at
          ? `${job.name} · ${formatNow(job.last_run_at)}`
          : `${job.name} · 未运行 · never run`;
    }
  }

  setPersona(persona) {
    this.persona = persona;
    $("jump-reminder").disabled = !persona;
  }

  async act(button, fn) {
    button.setAttribute("aria-busy", "true");
    button.disabled = true;
    try {
      const out = await fn();
      await this.refresh();
      return out;
    } catch (err) {
      this.onError(err);
      return undefined;
    } finally {
      button.removeAttribute("aria-busy");
      button.disabled = button.id === "jump-reminder" && !this.persona;
    }
  }

  async run(button, name) {
    const out = await this.act(button, () => api(`jobs/${encodeURIComponent(name)}/run`, {}));
    if (out) $("job-result").textContent = `${labelOf(name)} ✓ ${describe(out.result)}`;
  }

  async jump(button) {
    if (!this.persona) return;
    const out = await this.act(button, () => api("time/next-reminder", { persona_id: this.persona.id }));
    if (!out) return;
    const title = this.persona.language_code === "en" ? out.title_en : out.title_zh;
    $("jump-result").textContent = out.lead_hours
      ? `${title}: ${formatNow(out.starts_at)} — 时钟已拨到上课前 ${out.lead_hours} 小时的提醒时间之后，请运行“上课提醒”。· Clock moved just past the ${out.lead_hours} h reminder; run "Class reminders".`
      : `${title}: ${formatNow(out.starts_at)} — 提醒时间都已过。· Every reminder time has passed already.`;
  }

  async reset() {
    const dialog = $("confirm-reset");
    dialog.returnValue = "";
    dialog.showModal();
    dialog.addEventListener(
      "close",
      async () => {
        if (dialog.returnValue !== "ok") return;
        const button = $("reset");
        button.disabled = true;
        button.textContent = "正在重新开始… · Starting afresh…";
        try {
          await api("reset", {});
          location.hash = "";
          location.reload();
        } catch (err) {
          button.disabled = false;
          this.onError(err);
        }
      },
      { once: true },
    );
  }
}
