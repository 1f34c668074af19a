export * from "./database.ts";
export * from "./channels.ts";
export * from "./storage_types.ts";
export { EmbeddedDatabase } from "./embedded.ts";
