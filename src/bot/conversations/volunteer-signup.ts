/**
 * Signing up as a volunteer: name, own phone number (shared contact), skills, weekly
 * availability, then languages and consent on one last screen. Nothing is saved until the person agrees at the end.
 */
import { InlineKeyboard, Keyboard } from "grammy";
import { DAY_SLOTS, WEEKDAYS } from "../../catalog/codes.ts";
import { cleanName } from "../../people/accounts.ts";
import { hasBit, slotBit, toggleBit } from "../../volunteers/availability.ts";
import { skillList } from "../../volunteers/skills.ts";
import { getVolunteer, MAX_NOTE, signUpVolunteer, VOLUNTEER_LANGUAGES } from "../../volunteers/volunteers.ts";
import type { ConvContext } from "../context.ts";
import { answer, cb, mainMenu } from "../menu.ts";
import type { LifelongConversation } from "../context.ts";
import { waitAnswer } from "./volunteer-wait.ts";

const mark = (on: boolean, label: string) => (on ? `✅ ${label}` : label);

function skillsKeyboard(
  ctx: ConvContext,
  skills: { code: string; zh: string; en: string }[],
  chosen: Set<string>,
): InlineKeyboard {
  const kb = new InlineKeyboard();
  skills.forEach((s, i) => {
    kb.text(mark(chosen.has(s.code), s[ctx.locale]), cb("vol", "sk", s.code));
    if (i % 2 === 1) kb.row();
  });
  return kb.row().text(ctx.t("volunteer:form.done"), cb("vol", "skd"));
}

function gridKeyboard(ctx: ConvContext, mask: number): InlineKeyboard {
  const kb = new InlineKeyboard();
  WEEKDAYS.forEach((day, d) => {
    kb.text(ctx.t(`codes:weekday.${day}`), cb("vol", "avd", d));
    DAY_SLOTS.forEach((slot, s) => {
      kb.text(mark(hasBit(mask, slotBit(d, s)), ctx.t(`codes:slot.${slot}`)), cb("vol", "av", slotBit(d, s)));
    });
    kb.row();
  });
  return kb
    .text(ctx.t("volunteer:signup.anyTime"), cb("vol", "avall"))
    .row()
    .text(ctx.t("volunteer:form.done"), cb("vol", "avok"));
}

/** Every slot of the week: what "any time" means in the grid. */
const ALL_SLOTS = (1 << (WEEKDAYS.length * DAY_SLOTS.length)) - 1;

/** The last screen: languages to tick (the person's own pre-ticked) above agree / disagree. */
function finalKeyboard(ctx: ConvContext, chosen: Set<string>): InlineKeyboard {
  const kb = new InlineKeyboard();
  VOLUNTEER_LANGUAGES.forEach((l, i) => {
    kb.text(mark(chosen.has(l), ctx.t(`volunteer:lang.${l}`)), cb("vol", "lg", l));
    if (i % 2 === 1) kb.row();
  });
  return kb
    .row()
    .text(ctx.t("volunteer:signup.agree"), cb("vol", "cs", "y"))
    .row()
    .text(ctx.t("volunteer:signup.disagree"), cb("vol", "cs", "n"));
}

export async function volunteerSignup(conversation: LifelongConversation, ctx: ConvContext): Promise<void> {
  const userId = ctx.from?.id;
  if (!userId) return;
  const { skills, existing } = await conversation.external((c) => ({
    skills: skillList(c.deps.config, c.log),
    existing: getVolunteer(c.deps.db, userId)?.status ?? null,
  }));
  if (existing && !["declined", "left"].includes(existing)) {
    await ctx.reply(ctx.t("volunteer:signup.already"));
    return;
  }

  // 1. Name
  const suggested = cleanName(`${ctx.from?.first_name ?? ""} ${ctx.from?.last_name ?? ""}`);
  const nameKb = suggested
    ? new InlineKeyboard().text(
        ctx.t("volunteer:signup.useName", { name: suggested, interpolation: { escapeValue: false } }),
        cb("vol", "nm"),
      )
    : undefined;
  await ctx.reply(ctx.t("volunteer:signup.askName"), { reply_markup: nameKb });
  let name = "";
  while (!name) {
    const c = await waitAnswer(conversation, {
      text: true,
      prefixes: ["vol:nm"],
      hint: ctx.t("volunteer:signup.askName"),
    });
    if (c.callbackQuery) {
      await answer(c);
      name = suggested;
    } else {
      name = cleanName(c.message?.text ?? "");
      if (!name) await c.reply(ctx.t("volunteer:signup.askName"));
    }
  }

  // 2. Phone, by sharing one's own contact only
  const phoneKb = new Keyboard().requestContact(ctx.t("volunteer:signup.shareButton")).resized().oneTime();
  await ctx.reply(ctx.t("volunteer:signup.askPhone", { name }), {
    reply_markup: phoneKb,
    parse_mode: "HTML",
  });
  let phone = "";
  while (!phone) {
    const c = await waitAnswer(conversation, { contact: true, hint: ctx.t("volunteer:signup.phoneHint") });
    const contact = c.message?.contact;
    if (contact && contact.user_id === userId)
      phone = contact.phone_number.replace(/[^\d+]/g, "").slice(0, 20);
    else await c.reply(ctx.t("volunteer:signup.notOwnContact"), { reply_markup: phoneKb });
  }
  await ctx.reply(ctx.t("volunteer:signup.phoneSaved"), { reply_markup: mainMenu(ctx) });

  // 3. Skills: toggles, plus anything typed
  const chosen = new Set<string>();
  let note = "";
  await ctx.reply(ctx.t(skills.length ? "volunteer:signup.askSkills" : "volunteer:signup.askSkillsText"), {
    reply_markup: skillsKeyboard(ctx, skills, chosen),
  });
  for (;;) {
    const c = await waitAnswer(conversation, {
      text: true,
      prefixes: ["vol:sk:", "vol:skd"],
      hint: ctx.t("volunteer:signup.askSkills"),
    });
    const data = c.callbackQuery?.data;
    if (data === "vol:skd") {
      await answer(c);
      break;
    }
    if (data) {
      const code = data.slice("vol:sk:".length);
      if (skills.some((s) => s.code === code)) chosen.has(code) ? chosen.delete(code) : chosen.add(code);
      await answer(c);
      await c
        .editMessageReplyMarkup({ reply_markup: skillsKeyboard(ctx, skills, chosen) })
        .catch(() => undefined);
      continue;
    }
    const typed = (c.message?.text ?? "").trim();
    const chars = Array.from(note ? `${note}; ${typed}` : typed);
    note = chars.slice(0, MAX_NOTE).join("");
    await c.reply(
      ctx.t(chars.length > MAX_NOTE ? "volunteer:signup.noteTooLong" : "volunteer:signup.noteSaved", {
        max: MAX_NOTE,
      }),
    );
  }

  // 4. Availability grid
  let mask = 0;
  await ctx.reply(ctx.t("volunteer:signup.askAvailability"), { reply_markup: gridKeyboard(ctx, mask) });
  for (;;) {
    const c = await waitAnswer(conversation, {
      prefixes: ["vol:av"],
      hint: ctx.t("volunteer:signup.askAvailability"),
    });
    const data = c.callbackQuery?.data ?? "";
    if (data === "vol:avall") {
      mask = ALL_SLOTS;
      await answer(c);
      await c.editMessageReplyMarkup({ reply_markup: gridKeyboard(ctx, mask) }).catch(() => undefined);
      break;
    }
    if (data === "vol:avok") {
      if (mask === 0) {
        await answer(c, ctx.t("volunteer:signup.pickOneSlot"), true);
        continue;
      }
      await answer(c);
      break;
    }
    const day = /^vol:avd:(\d)$/.exec(data);
    if (day) {
      const d = Number(day[1]);
      const bits = [0, 1, 2].map((s) => slotBit(d, s));
      const allOn = bits.every((b) => hasBit(mask, b));
      for (const b of bits) if (hasBit(mask, b) === allOn) mask = toggleBit(mask, b);
    } else {
      const bit = /^vol:av:(\d+)$/.exec(data);
      if (bit) mask = toggleBit(mask, Number(bit[1]));
    }
    await answer(c);
    await c.editMessageReplyMarkup({ reply_markup: gridKeyboard(ctx, mask) }).catch(() => undefined);
  }

  // 5. Languages and consent on one screen: whoever keeps the pre-ticked language agrees in one tap.
  const langs = new Set<string>([ctx.locale === "en" ? "english" : "mandarin"]);
  await ctx.reply(ctx.t("volunteer:signup.consent"), {
    parse_mode: "HTML",
    reply_markup: finalKeyboard(ctx, langs),
  });
  let agreed = false;
  let c: ConvContext;
  for (;;) {
    c = await waitAnswer(conversation, {
      prefixes: ["vol:lg:", "vol:cs:"],
      hint: ctx.t("volunteer:signup.consentHint"),
    });
    const data = c.callbackQuery?.data ?? "";
    await answer(c);
    if (data.startsWith("vol:cs:")) {
      agreed = data === "vol:cs:y";
      break;
    }
    const code = data.slice("vol:lg:".length);
    if ((VOLUNTEER_LANGUAGES as readonly string[]).includes(code))
      langs.has(code) ? langs.delete(code) : langs.add(code);
    await c.editMessageReplyMarkup({ reply_markup: finalKeyboard(ctx, langs) }).catch(() => undefined);
  }
  if (!agreed) {
    await c.reply(ctx.t("volunteer:signup.notSaved"), { reply_markup: mainMenu(ctx) });
    return;
  }
  const input = {
    userId,
    name,
    phone,
    skills: [...chosen],
    skillsNote: note,
    availability: mask,
    languages: [...langs],
  };
  const result = await conversation.external((x) =>
    signUpVolunteer(
      x.deps.db,
      input,
      x.deps.clock.now(),
      skills.length ? skills.map((s) => s.code) : undefined,
    ),
  );
  await c.reply(ctx.t(result.ok ? "volunteer:signup.done" : "volunteer:signup.already"), {
    reply_markup: mainMenu(ctx),
  });
}
