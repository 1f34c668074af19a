/** The public face of the core for module authors: `import { Module } from "@slips/core";`. */
export * from "./modules/module.ts";
export * from "./records/mod.ts";
export * from "./evidence/mod.ts";
export * from "./net/mod.ts";
export type {
  BlockRequest,
  ChannelMessage,
  ChannelPayloads,
  CoreChannel,
  NewIp,
  TimeWindowRef,
} from "./database/channels.ts";
export type { Database } from "./database/database.ts";
export type { Alert } from "./database/storage_types.ts";
export * from "./collections/mod.ts";
