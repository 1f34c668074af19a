export * from "./evidence.ts";
export * from "./evidence_type.ts";
export * from "./threat_level.ts";
