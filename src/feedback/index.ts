export type { CourseRatings } from "./feedback.ts";
export {
  courseRatings,
  coursesTaken,
  enqueueFeedbackRequests,
  rateCourse,
  ratedCourses,
  submitFeedback,
} from "./feedback.ts";
export { wishThreshold } from "./targets.ts";
export { topicForText } from "./wish-topics.ts";
export type { TopWish } from "./wishes.ts";
export { addWish, notifyWishersOfCourse, topWishes, wishCount } from "./wishes.ts";
