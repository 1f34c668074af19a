export {
  type DropOptions,
  dropPrivileges,
  type DropResult,
  findTarget,
  lookupUser,
} from "./drop.ts";
export type { PasswdEntry } from "./libc.ts";
export { type Credentials, currentIds, parseProcStatus, threadIds } from "./proc_status.ts";
export { chooseTarget, type DropTarget, type NoTarget } from "./target.ts";
export { findInPasswd } from "./passwd.ts";
