export * from "./module.ts";
