export * from "./ip.ts";
export * from "./mac_vendor.ts";
export * from "./user_agent.ts";
export * from "./services.ts";
export * from "./local_network.ts";
export * from "./entropy.ts";
