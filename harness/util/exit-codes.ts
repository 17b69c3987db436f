/** Exit codes shared by every command. */
export const EXIT_OK = 0;
/** A check the command exists to make did not pass (a confirmed regression, a failed gate). */
export const EXIT_CHECK_FAILED = 1;
/** Bad input: a usage error, an unreadable or invalid file, a bad flag value. */
export const EXIT_BAD_INPUT = 2;
/** A bug in the harness itself: an exception nobody expected. */
export const EXIT_INTERNAL_ERROR = 3;
