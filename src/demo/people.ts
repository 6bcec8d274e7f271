/**
 * The people of the demo: the personas' accounts and about sixty generated residents with family
 * members. Everything is drawn from a seeded generator, so two runs plan exactly the same people
 * and the second run's inserts are all ignored.
 */
import type { Db } from "../db/connection.ts";
import type { Relation } from "../catalog/codes.ts";
import { DEMO_PERSONAS } from "./personas.ts";
import type { Dice } from "./random.ts";
import { demoRows } from "./fixture.ts";

/** Demo residents are users 900001 up; nothing else uses that range. */
export const DEMO_RESIDENT_FIRST_ID = 900001;
export const DEMO_RESIDENT_COUNT = 60;
const FAMILY_TARGET = 25;

export interface UserPlan {
  id: number;
  first_name: string;
  last_name: string | null;
  username: string | null;
  language_code: string;
  locale: "zh" | "en";
  phone: string | null;
  news_opt_in: 0 | 1;
  created_at: string;
  last_seen_at: string;
}

/** A participant; `key` identifies it across runs (account + name), since people ids are not fixed. */
export interface PersonPlan {
  key: string;
  accountId: number;
  isSelf: boolean;
  name: string;
  relation: Relation;
  birthYear: number;
  persona: boolean;
  hasPhone: boolean;
  locale: "zh" | "en";
}

const SURNAMES = [
  "王",
  "李",
  "张",
  "刘",
  "陈",
  "杨",
  "黄",
  "赵",
  "吴",
  "周",
  "徐",
  "孙",
  "马",
  "朱",
  "胡",
  "郭",
  "何",
  "高",
  "林",
  "罗",
];
const SENIOR_F = [
  "秀英",
  "桂英",
  "玉兰",
  "淑芬",
  "凤英",
  "秀珍",
  "桂兰",
  "美华",
  "丽华",
  "淑华",
  "玉梅",
  "秀云",
  "金花",
  "素琴",
  "月娥",
];
const SENIOR_M = [
  "建国",
  "德明",
  "国强",
  "志刚",
  "振华",
  "福生",
  "宝山",
  "永康",
  "长青",
  "树林",
  "国庆",
  "学文",
  "爱民",
  "有才",
  "春生",
];
const ADULT_F = ["晓燕", "丽娟", "婷婷", "静", "雪梅", "海燕", "佳慧", "欣怡", "敏", "琳"];
const ADULT_M = ["海涛", "磊", "伟", "浩", "鹏", "斌", "军", "勇", "俊杰", "志强"];
const CHILD = ["子涵", "梓萱", "一诺", "浩宇", "欣妍", "宇轩", "雨桐", "思远", "若汐", "睿"];
const ENGLISH: ReadonlyArray<[string, string, string]> = [
  ["David", "Miller", "en"],
  ["Sarah", "Johnson", "en-GB"],
  ["Tom", "Becker", "de"],
  ["Maria", "Santos", "pt-BR"],
  ["James", "Wilson", "en"],
  ["Olga", "Petrova", "ru"],
  ["Kenji", "Sato", "ja"],
  ["Priya", "Nair", "en"],
];
const ENGLISH_CHILD = ["Noah", "Mia", "Leo", "Chloe", "Ethan", "Ava"];
const DAY = 86_400_000;

/**
 * Plans the personas and the generated residents with their family members. Pure: the same
 * random source and `now` always give the same plan.
 */
export function planPeople(dice: Dice, now: Date): { users: UserPlan[]; people: PersonPlan[] } {
  const users: UserPlan[] = [];
  const people: PersonPlan[] = [];
  const ago = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
  const fakePhone = () => `1390000${String(dice.int(0, 9999)).padStart(4, "0")}`;

  for (const p of DEMO_PERSONAS) {
    const phone = p.role === "staff" || p.role === "admin" ? null : fakePhone();
    users.push({
      id: p.id,
      first_name: p.first_name,
      last_name: p.last_name,
      username: null,
      language_code: p.language_code,
      locale: p.locale,
      phone,
      news_opt_in: 1,
      created_at: ago(90),
      last_seen_at: ago(1),
    });
    const self = p.last_name ? `${p.first_name} ${p.last_name}` : p.first_name;
    people.push({
      key: `${p.id}:${self}`,
      accountId: p.id,
      isSelf: true,
      name: self,
      relation: "self",
      birthYear: p.birth_year,
      persona: true,
      hasPhone: phone !== null,
      locale: p.locale,
    });
    for (const f of p.family) {
      people.push({
        key: `${p.id}:${f.name}`,
        accountId: p.id,
        isSelf: false,
        name: f.name,
        relation: f.relation,
        birthYear: f.birth_year,
        persona: true,
        hasPhone: phone !== null,
        locale: p.locale,
      });
    }
  }

  const usedNames = new Set<string>();
  const residents: PersonPlan[] = [];
  for (let i = 0; i < DEMO_RESIDENT_COUNT; i++) {
    const id = DEMO_RESIDENT_FIRST_ID + i;
    // Every seventh resident is a foreigner living in the district, so English gets exercised.
    const english = (i + 3) % 7 === 0 ? ENGLISH[Math.floor(i / 7) % ENGLISH.length] : undefined;
    const senior = !english && dice.chance(0.55);
    const female = dice.chance(0.6);
    let name: string;
    let first: string;
    let last: string | null = null;
    if (english) {
      [first, last] = english;
      name = `${first} ${last}`;
    } else {
      do {
        const given = senior ? (female ? SENIOR_F : SENIOR_M) : female ? ADULT_F : ADULT_M;
        name = dice.pick(SURNAMES) + dice.pick(given);
      } while (usedNames.has(name));
      first = name;
    }
    usedNames.add(name);
    const birthYear = senior ? dice.int(1944, 1964) : dice.int(1976, 1998);
    const phone = dice.chance(0.55) ? fakePhone() : null;
    const locale = english ? "en" : "zh";
    users.push({
      id,
      first_name: first,
      last_name: last,
      username: english
        ? `${first.toLowerCase()}_${(last ?? "").toLowerCase()}`
        : dice.chance(0.2)
          ? `user${id}`
          : null,
      language_code: english ? english[2] : dice.chance(0.5) ? "zh-hans" : "zh",
      locale,
      phone,
      news_opt_in: dice.chance(0.4) ? 1 : 0,
      created_at: ago(dice.int(30, 200)),
      last_seen_at: ago(dice.int(0, 14)),
    });
    const self: PersonPlan = {
      key: `${id}:${name}`,
      accountId: id,
      isSelf: true,
      name,
      relation: "self",
      birthYear,
      persona: false,
      hasPhone: phone !== null,
      locale,
    };
    residents.push(self);
  }
  people.push(...residents);

  const family: PersonPlan[] = [];
  const addFamily = (of: PersonPlan, name: string, relation: Relation, birthYear: number) => {
    if (family.length >= FAMILY_TARGET || people.some((p) => p.accountId === of.accountId && p.name === name))
      return;
    const member: PersonPlan = {
      key: `${of.accountId}:${name}`,
      accountId: of.accountId,
      isSelf: false,
      name,
      relation,
      birthYear,
      persona: false,
      hasPhone: of.hasPhone,
      locale: of.locale,
    };
    family.push(member);
    people.push(member);
  };
  for (const r of residents) {
    const english = r.locale === "en";
    const surname = english ? (r.name.split(" ")[1] ?? "") : r.name.slice(0, 1);
    const childName = () => (english ? `${dice.pick(ENGLISH_CHILD)} ${surname}` : surname + dice.pick(CHILD));
    // By birth year rather than age, so that the plan does not change with the year it runs in.
    if (r.birthYear >= 1970) {
      if (dice.chance(0.55)) addFamily(r, childName(), "child", dice.int(2014, 2023));
      if (dice.chance(0.2)) addFamily(r, childName(), "child", dice.int(2012, 2022));
      if (!english && dice.chance(0.15))
        addFamily(r, surname + dice.pick(SENIOR_F), "parent", dice.int(1940, 1956));
    } else {
      if (!english && dice.chance(0.15))
        addFamily(r, surname + dice.pick(CHILD), "grandchild", dice.int(2015, 2021));
      if (!english && dice.chance(0.1))
        addFamily(r, dice.pick(SURNAMES) + dice.pick(SENIOR_M), "spouse", r.birthYear + dice.int(-3, 3));
    }
  }
  return { users, people };
}

/** Inserts planned users and people that are not there yet; returns person ids by key and counts. */
export function writePeople(
  db: Db,
  plan: { users: UserPlan[]; people: PersonPlan[] },
  now: string,
): { ids: Map<string, number>; users: number; people: number } {
  const insertUser = demoRows(db).user;
  let users = 0;
  for (const u of plan.users) users += insertUser.run(u).changes;

  const findSelf = db.prepare("SELECT id FROM people WHERE account_id = ? AND is_self = 1").pluck();
  const findMember = db
    .prepare("SELECT id FROM people WHERE account_id = ? AND name = ? AND is_self = 0")
    .pluck();
  const insertPerson = demoRows(db).person;
  const ids = new Map<string, number>();
  let people = 0;
  for (const p of plan.people) {
    // A persona who already used the sandbox has a self row of their own: reuse it.
    let id = (p.isSelf ? findSelf.get(p.accountId) : findMember.get(p.accountId, p.name)) as
      | number
      | undefined;
    if (id === undefined) {
      id = Number(
        insertPerson.run(p.accountId, p.isSelf ? 1 : 0, p.name, p.relation, p.birthYear, now).lastInsertRowid,
      );
      people++;
    }
    ids.set(p.key, id);
  }
  return { ids, users, people };
}
