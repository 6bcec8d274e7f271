import { DEMO_PERSONAS } from "../../demo/demo.ts";
import type { Db } from "../../db/connection.ts";
import { WebError } from "./http.ts";
import { cutText } from "../../text.ts";

/** Someone the page can chat as: a demo persona or one made on the page. */
export interface WebPersona {
  id: number;
  first_name: string;
  last_name?: string;
  /** What the Telegram client would report: the persona's language. */
  language_code: "zh" | "en";
  role: string;
  label: { zh: string; en: string };
  demo: boolean;
}

/** Personas made on the page get ids from here on, far from the demo's and real Telegram users'. */
export const CUSTOM_FIRST_ID = 200_001;
const CUSTOM_LAST_ID = 299_999;

const fromDemo = (): WebPersona[] =>
  DEMO_PERSONAS.map((p) => ({
    id: p.id,
    first_name: p.first_name,
    ...(p.last_name ? { last_name: p.last_name } : {}),
    language_code: p.language_code,
    role: p.role,
    label: p.label,
    demo: true,
  }));

/**
 * The persona list: the demo's, plus those made on the page. Made ones live in memory until the
 * bot has seen them; after that the database remembers them, so they survive a restart.
 */
export class PersonaBook {
  private readonly made = new Map<number, WebPersona>();
  private readonly db: () => Db;

  constructor(db: () => Db) {
    this.db = db;
  }

  list(): WebPersona[] {
    const rows = this.db()
      .prepare(
        "SELECT id, first_name, last_name, COALESCE(locale, language_code) AS locale FROM users WHERE id BETWEEN ? AND ? ORDER BY id",
      )
      .all(CUSTOM_FIRST_ID, CUSTOM_LAST_ID) as Array<{
      id: number;
      first_name: string;
      last_name: string | null;
      locale: string | null;
    }>;
    const kept = new Map<number, WebPersona>();
    for (const r of rows)
      kept.set(
        r.id,
        this.custom(r.id, r.first_name, r.last_name ?? undefined, r.locale?.startsWith("en") ? "en" : "zh"),
      );
    for (const p of this.made.values()) if (!kept.has(p.id)) kept.set(p.id, p);
    return [...fromDemo(), ...kept.values()];
  }

  get(id: number): WebPersona {
    const found = this.list().find((p) => p.id === id);
    if (!found) throw new WebError(404, `没有这个身份 · No such persona: ${id}`);
    return found;
  }

  /** Makes a new persona with a name and a language. */
  create(name: string, language: string): WebPersona {
    const clean = cutText(name.replace(/\s+/g, " ").trim(), 64, "");
    if (clean === "") throw new WebError(400, "请填写名字。· A name is required.");
    if (language !== "zh" && language !== "en")
      throw new WebError(400, "语言只能是中文或英文。· The language must be zh or en.");
    const ids = this.list()
      .map((p) => p.id)
      .filter((id) => id >= CUSTOM_FIRST_ID);
    const id = Math.max(CUSTOM_FIRST_ID - 1, ...ids) + 1;
    if (id > CUSTOM_LAST_ID)
      throw new WebError(409, "身份太多了，请重新开始。· Too many personas: start afresh.");
    const [first, ...rest] = clean.split(" ");
    const persona = this.custom(id, first ?? clean, rest.length > 0 ? rest.join(" ") : undefined, language);
    this.made.set(id, persona);
    return persona;
  }

  /** Forgets personas made on the page (a fresh start). */
  clear(): void {
    this.made.clear();
  }

  /** The phone a request_contact button shares: the one the demo gave, else one made from the id. */
  phoneOf(id: number): string {
    const stored = this.db().prepare("SELECT phone FROM users WHERE id = ?").pluck().get(id) as
      | string
      | null
      | undefined;
    if (stored) return stored;
    return `+86139${String(id).padStart(8, "0").slice(-8)}`;
  }

  private custom(id: number, first: string, last: string | undefined, language: "zh" | "en"): WebPersona {
    const name = last ? `${first} ${last}` : first;
    return {
      id,
      first_name: first,
      ...(last ? { last_name: last } : {}),
      language_code: language,
      role: "custom",
      label: {
        zh: `${name}（自建，${language === "zh" ? "中文" : "英文"}）`,
        en: `${name} (made here, ${language === "zh" ? "Chinese" : "English"})`,
      },
      demo: false,
    };
  }
}
