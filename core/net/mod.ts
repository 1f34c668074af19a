export * from "./ip.ts";
