export * from "./profiler.ts";
export * from "./time_window.ts";
