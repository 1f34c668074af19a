export * from "./records.ts";
export * from "./state.ts";
export * from "./defaults.ts";
