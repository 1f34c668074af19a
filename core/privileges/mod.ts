export { type DropOptions, dropPrivileges, type DropResult } from "./drop.ts";
export { type Credentials, currentIds, parseProcStatus, threadIds } from "./proc_status.ts";
export { chooseTarget, type DropTarget, type NoTarget } from "./target.ts";
export { findInPasswd } from "./passwd.ts";
