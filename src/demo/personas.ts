/**
 * The fixed accounts the sandbox web chat offers: one per kind of user, each with what a visitor
 * needs to try their side of the bot (family members, a volunteer record, a role).
 */
import type { Relation } from "../catalog/codes.ts";

export type PersonaRole = "resident" | "parent" | "caregiver" | "volunteer" | "teacher" | "staff" | "admin";

/** A fixed account the sandbox web chat lets a visitor act as. */
export interface DemoPersona {
  id: number;
  first_name: string;
  last_name: string | null;
  language_code: "zh" | "en";
  locale: "zh" | "en";
  role: PersonaRole;
  birth_year: number;
  /** What the sandbox shows on the persona picker. */
  label: { zh: string; en: string };
  /** Family members created with the persona. */
  family: ReadonlyArray<{ name: string; relation: Relation; birth_year: number }>;
}

export const DEMO_PERSONAS: readonly DemoPersona[] = [
  {
    id: 100001,
    first_name: "王秀兰",
    last_name: null,
    language_code: "zh",
    locale: "zh",
    role: "resident",
    birth_year: 1952,
    label: { zh: "王秀兰（老年居民）", en: "Wang Xiulan (senior resident)" },
    family: [],
  },
  {
    id: 100002,
    first_name: "Emma",
    last_name: "Clark",
    language_code: "en",
    locale: "en",
    role: "parent",
    birth_year: 1989,
    label: { zh: "Emma Clark（外籍家长，女儿7岁）", en: "Emma Clark (parent of a 7-year-old)" },
    family: [{ name: "Lily Clark", relation: "child", birth_year: 2019 }],
  },
  {
    id: 100003,
    first_name: "李建国",
    last_name: null,
    language_code: "zh",
    locale: "zh",
    role: "caregiver",
    birth_year: 1979,
    label: { zh: "李建国（照顾母亲和女儿）", en: "Li Jianguo (looks after his mother and daughter)" },
    family: [
      { name: "赵桂芳", relation: "parent", birth_year: 1954 },
      { name: "李朵朵", relation: "child", birth_year: 2017 },
    ],
  },
  {
    id: 100004,
    first_name: "陈老师",
    last_name: null,
    language_code: "zh",
    locale: "zh",
    role: "volunteer",
    birth_year: 1958,
    label: { zh: "陈老师（退休教师，志愿者）", en: "Ms Chen (retired teacher, volunteer)" },
    family: [],
  },
  {
    id: 100005,
    first_name: "张老师",
    last_name: null,
    language_code: "zh",
    locale: "zh",
    role: "teacher",
    birth_year: 1966,
    label: { zh: "张老师（书画班老师）", en: "Mr Zhang (calligraphy teacher)" },
    family: [],
  },
  {
    id: 100006,
    first_name: "Lucy",
    last_name: "Zhou",
    language_code: "en",
    locale: "en",
    role: "staff",
    birth_year: 1990,
    label: { zh: "Lucy Zhou（工作人员，所有学校）", en: "Lucy Zhou (staff, all sites)" },
    family: [],
  },
  {
    id: 100007,
    first_name: "刘主任",
    last_name: null,
    language_code: "zh",
    locale: "zh",
    role: "admin",
    birth_year: 1971,
    label: { zh: "刘主任（管理员）", en: "Director Liu (admin)" },
    family: [],
  },
];
