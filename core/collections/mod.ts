export * from "./bounded.ts";
export * from "./fifo.ts";
