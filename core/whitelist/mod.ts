/** The whitelist: which flows to drop and which evidence to discard (config/whitelist.conf). */
export * from "./entry.ts";
export * from "./ip_range_set.ts";
export * from "./organization_data.ts";
export * from "./organization_index.ts";
export * from "./values.ts";
export * from "./whitelist.ts";
export * from "./whitelist_conf.ts";
