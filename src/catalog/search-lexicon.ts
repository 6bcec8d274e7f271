/**
 * The words residents type when they look for a course, in Chinese and English. Topic groups
 * tie synonyms in both languages to the catalog's categories, audiences and course kinds; the
 * other tables recognise who the course is for and when it should be.
 * Words are lower-case; English words match whole words, Chinese words match anywhere.
 */

/** A topic: any of its words in the query, matched against a course's text, category, audiences or kind. */
export interface TopicGroup {
  id: string;
  words: readonly string[];
  categories?: readonly string[];
  audiences?: readonly string[];
  kinds?: readonly string[];
}

// biome-ignore format: word tables read better packed
export const TOPIC_GROUPS: readonly TopicGroup[] = [
  {
    id: "calligraphy",
    words: ["书法", "毛笔", "毛笔字", "硬笔", "练字", "写字", "calligraphy", "brush writing"],
  },
  {
    id: "painting",
    words: ["画画", "绘画", "国画", "水墨", "水彩", "油画", "素描", "美术", "画", "painting", "paint", "drawing", "draw", "art"],
  },
  { id: "arts", words: ["书画", "艺术", "arts"], categories: ["arts"] },
  { id: "english", words: ["英语", "英文", "english", "abc"] },
  { id: "language", words: ["外语", "语言", "language", "languages", "foreign"], categories: ["language"] },
  { id: "table_tennis", words: ["乒乓球", "乒乓", "table tennis", "ping pong", "ping-pong", "pingpong"] },
  { id: "sports", words: ["体育", "运动", "球类", "sports", "sport", "ball games"], categories: ["sports"] },
  {
    id: "computer",
    words: [
      "电脑", "计算机", "手机", "智能手机", "微信", "上网", "网购", "视频通话", "打字", "computer", "computers", "smartphone",
      "smartphones", "phone", "phones", "mobile", "internet", "wechat",
    ],
    categories: ["computer"],
  },
  { id: "tai_chi", words: ["太极拳", "太极", "tai chi", "taichi", "tai-chi"] },
  {
    id: "exercise",
    words: [
      "经络操", "经络", "八段锦", "健身", "锻炼", "体操", "广场舞", "气功", "瑜伽", "exercise", "exercises", "fitness",
      "meridian", "qigong", "yoga", "workout",
    ],
    categories: ["exercise"],
  },
  {
    id: "knitting",
    words: [
      "编织", "织毛衣", "毛衣", "毛线", "钩针", "手工", "knitting", "knit", "crochet", "crafts", "craft", "handicraft",
      "handicrafts",
    ],
    categories: ["crafts"],
  },
  {
    id: "pregnancy",
    words: [
      "孕妇", "孕期", "怀孕", "孕", "准妈妈", "准爸爸", "产前", "产后", "新生儿", "pregnancy", "pregnant", "prenatal",
      "antenatal", "expecting", "parents-to-be", "parents to be", "mum-to-be", "mom-to-be", "newborn",
    ],
    audiences: ["parents_to_be"],
  },
  {
    id: "parenting",
    words: ["亲子", "家长", "育儿", "家庭教育", "家长学校", "parenting", "parent school", "family education"],
    categories: ["parenting"],
    audiences: ["parents"],
  },
  {
    id: "job",
    words: [
      "就业", "再就业", "找工作", "求职", "失业", "下岗", "职业", "技能", "简历", "面试", "创业", "job", "jobs", "employment",
      "career", "resume", "cv", "interview", "unemployed", "job seekers", "job seeker", "vocational",
      "skills",
    ],
    categories: ["employment"],
    audiences: ["job_seekers"],
  },
  {
    id: "health",
    words: [
      "健康", "养生", "保健", "急救", "中医", "慢病", "高血压", "糖尿病", "营养", "health", "healthy", "first aid", "wellbeing",
      "wellness", "nutrition",
    ],
    categories: ["health"],
  },
  {
    id: "etiquette",
    words: ["礼仪", "文明", "礼貌", "垃圾分类", "etiquette", "manners", "civic", "civics", "citizenship"],
    categories: ["civics"],
  },
  {
    id: "migrants",
    words: ["新市民", "外来", "外地人", "migrant", "migrants", "newcomer", "newcomers", "new to the city"],
    audiences: ["migrants"],
  },
  { id: "women", words: ["妇女", "女性", "women", "woman", "ladies"], audiences: ["women"] },
  {
    id: "special_needs",
    words: ["残疾", "残障", "特殊需要", "special needs", "disability", "disabled"],
    audiences: ["special_needs"],
  },
  {
    id: "lecture",
    words: ["讲座", "讲堂", "报告会", "lecture", "lectures", "talk", "talks"],
    kinds: ["lecture"],
  },
  {
    id: "culture",
    words: [
      "文化", "演出", "表演", "节日", "艺术节", "晚会", "活动", "culture", "cultural", "performance", "performances",
      "show", "festival", "event", "events",
    ],
    categories: ["culture"],
    kinds: ["event"],
  },
  {
    id: "youth",
    words: ["少儿", "青少年", "暑假", "寒假", "夏令营", "假期", "youth", "summer", "holiday", "holidays", "camp"],
    categories: ["youth"],
  },
  {
    id: "music",
    words: ["唱歌", "合唱", "音乐", "声乐", "乐器", "music", "singing", "sing", "choir", "instrument"],
  },
  { id: "dance", words: ["舞蹈", "跳舞", "dance", "dancing"] },
  { id: "reading", words: ["读书", "阅读", "reading", "books", "book club"] },
];

/** Who the course is for, from the person it is for: a child, or an older relative. */
export type Who = "child" | "senior";

// biome-ignore format: word tables read better packed
export const WHO_WORDS: Record<Who, readonly string[]> = {
  child: [
    "孩子", "小孩", "儿子", "女儿", "孙子", "孙女", "外孙", "外孙女", "宝宝", "小朋友", "儿童", "小学生", "中学生", "娃", "child",
    "children", "kid", "kids", "son", "daughter", "grandson", "granddaughter", "grandchild", "grandchildren",
    "toddler", "boy", "girl", "pupil", "pupils",
  ],
  senior: [
    "妈妈", "爸爸", "老妈", "老爸", "母亲", "父亲", "父母", "爷爷", "奶奶", "外公", "外婆", "姥姥", "姥爷", "老人", "老年人", "老年", "长辈",
    "退休", "老同志", "mother", "father", "mom", "mum", "dad", "parents", "grandma", "grandpa", "grandmother",
    "grandfather", "grandparents", "elderly", "senior", "seniors", "retired", "retiree", "retirees",
    "old people", "older people",
  ],
};

/** Age range (inclusive) for who-words and for courses that give only audiences. */
export const WHO_AGES: Record<Who, [number, number]> = { child: [3, 15], senior: [60, 120] };

export const AUDIENCE_AGES: Record<string, [number, number]> = {
  preschool: [0, 6],
  pupils: [6, 17],
  parents: [20, 55],
  parents_to_be: [18, 45],
  adults: [18, 59],
  job_seekers: [16, 59],
  seniors: [55, 120],
  migrants: [0, 120],
  women: [16, 120],
  special_needs: [0, 120],
  everyone: [0, 120],
};

/** Audiences that speak to who-words directly (an explicit fit ranks above "everyone"). */
export const WHO_AUDIENCES: Record<Who, readonly string[]> = {
  child: ["preschool", "pupils"],
  senior: ["seniors"],
};

export interface TimeWord {
  words: readonly string[];
  weekdays?: readonly number[];
  slot?: number;
}

const WEEKEND = [5, 6];
const WORKDAYS = [0, 1, 2, 3, 4];

// biome-ignore format: word tables read better packed
export const TIME_WORDS: readonly TimeWord[] = [
  { words: ["周末", "双休日", "weekend", "weekends"], weekdays: WEEKEND },
  { words: ["工作日", "平日", "平时", "weekday", "weekdays", "workday", "workdays"], weekdays: WORKDAYS },
  { words: ["周一", "星期一", "礼拜一", "monday", "mondays", "mon"], weekdays: [0] },
  { words: ["周二", "星期二", "礼拜二", "tuesday", "tuesdays", "tue", "tues"], weekdays: [1] },
  { words: ["周三", "星期三", "礼拜三", "wednesday", "wednesdays", "wed"], weekdays: [2] },
  { words: ["周四", "星期四", "礼拜四", "thursday", "thursdays", "thu", "thur", "thurs"], weekdays: [3] },
  { words: ["周五", "星期五", "礼拜五", "friday", "fridays", "fri"], weekdays: [4] },
  { words: ["周六", "星期六", "礼拜六", "saturday", "saturdays", "sat"], weekdays: [5] },
  {
    words: ["周日", "周天", "星期日", "星期天", "礼拜日", "礼拜天", "sunday", "sundays", "sun"],
    weekdays: [6],
  },
  { words: ["上午", "早上", "早晨", "清早", "morning", "mornings"], slot: 0 },
  { words: ["下午", "午后", "afternoon", "afternoons"], slot: 1 },
  { words: ["晚上", "傍晚", "夜里", "夜间", "evening", "evenings", "night", "nights", "tonight"], slot: 2 },
];

/** Words that carry no topic: dropped before the rest of the query is matched as free text. */
// biome-ignore format: word tables read better packed
export const STOP_WORDS: readonly string[] = [
  // Chinese (overlaps are settled by matching longer phrases first)
  "有没有", "有什么", "什么", "哪些", "哪个", "适合", "可以", "能不能", "一下", "推荐", "课程", "课", "班", "学习", "想学", "想要", "报名",
  "参加", "我们", "我家", "岁的", "的", "我", "想", "学", "给", "找", "要", "有", "吗", "呢", "了", "在", "和", "跟", "也", "都",
  "个", "门", "些", "吧", "啊", "请", "帮", "看", "去", "上", "他", "她", "它", "家", "多", "岁", "每", "或", "或者", "还有", "时候",
  "时间", "今年", "谢谢", "感谢", "你好", "您好", "请问", "一个", "一下子",
  // English
  "for", "my", "our", "i", "im", "i'm", "we", "me", "want", "wants", "would", "like", "to", "learn",
  "learning", "a", "an", "the", "on", "in", "at", "of", "and", "or", "with", "is", "are", "be", "who",
  "what", "which", "any", "some", "something", "there", "please", "find", "show", "looking", "look", "need",
  "needs", "course", "courses", "class", "classes", "lesson", "lessons", "program", "programme", "year",
  "years", "old", "aged", "age", "yr", "yrs", "yo", "during", "every", "about", "can", "do", "does", "you",
  "have", "has", "s", "his", "her", "their", "him", "them", "she", "he", "it", "this", "that", "be", "times",
  "time", "get", "take", "go", "help", "study", "studying", "new", "good", "thanks", "thank", "hi", "hello",
];
