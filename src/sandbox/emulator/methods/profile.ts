import { badRequest } from "../errors.ts";
import type { EmulatorState } from "../state.ts";
import type { MethodContext, MethodHandler } from "./context.ts";

/**
 * The bot's name, description and short description per language, as Telegram keeps them:
 * an empty value for a language means "use the default" (language_code "").
 */
type Field = "name" | "description" | "short_description";
const LIMITS: Record<Field, number> = { name: 64, description: 512, short_description: 120 };

const profiles = new WeakMap<EmulatorState, Map<string, string>>();

function store(state: EmulatorState): Map<string, string> {
  let map = profiles.get(state);
  if (!map) {
    map = new Map();
    profiles.set(state, map);
  }
  return map;
}

function language(ctx: MethodContext): string {
  const code = ctx.params.str("language_code") ?? "";
  if (code !== "" && !/^[a-z]{2}$/.test(code)) throw badRequest("LANGUAGE_CODE_INVALID");
  return code;
}

function getter(field: Field): MethodHandler {
  return (ctx) => {
    const map = store(ctx.state);
    const code = language(ctx);
    const value =
      map.get(`${field}|${code}`) ||
      map.get(`${field}|`) ||
      (field === "name" ? ctx.state.bot.first_name : "");
    return { [field]: value };
  };
}

function setter(field: Field): MethodHandler {
  return (ctx) => {
    const value = ctx.params.str(field) ?? "";
    if (Array.from(value).length > LIMITS[field]) throw badRequest(`${field.toUpperCase()}_INVALID`);
    const map = store(ctx.state);
    const key = `${field}|${language(ctx)}`;
    if (value === "") map.delete(key);
    else map.set(key, value);
    return true;
  };
}

/** getMyName/setMyName, getMyDescription/setMyDescription, getMyShortDescription/setMyShortDescription. */
export const profileMethods: Record<string, MethodHandler> = {
  getMyName: getter("name"),
  setMyName: setter("name"),
  getMyDescription: getter("description"),
  setMyDescription: setter("description"),
  getMyShortDescription: getter("short_description"),
  setMyShortDescription: setter("short_description"),
};
