export { type CompileOutcome, tryDenoCompile } from "./deno_compile.ts";
export { launcher, type LauncherParams } from "./launcher.ts";
export { type Packed, writeSelfExtracting } from "./self_extracting.ts";
export { denoBinary, pruneDenoDir, stage, type StageResult } from "./stage.ts";
