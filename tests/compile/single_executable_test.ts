/**
 * The self-extracting executable, built once from a fixture project and run the way a user would:
 * copied elsewhere with modules/ beside it, with no Deno on PATH, an empty HOME and (as root) no
 * network at all.
 */
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { REPO, writeFixtureProject, writeProbeModules } from "./fixture_project.ts";

const IS_ROOT = Deno.uid() === 0;
/** What the launcher itself calls; tar also needs gzip. Deliberately no deno. */
const LAUNCHER_TOOLS = [
  "sh",
  "readlink",
  "dirname",
  "id",
  "stat",
  "mkdir",
  "mktemp",
  "tail",
  "tar",
  "gzip",
  "chmod",
  "mv",
  "rm",
];

interface Build {
  root: string;
  exe: string;
  exeDir: string;
  bin: string;
  buildLog: string;
}

interface Report {
  home: string;
  bundle: string;
  mainUrl: string;
  sameCore: boolean;
  npmRange: string;
  fromWorker: string;
}

function which(tool: string): string {
  for (const dir of ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]) {
    if (existsSync(join(dir, tool))) return join(dir, tool);
  }
  throw new Error(`${tool} was not found in /usr/bin or /bin; the launcher test needs it.`);
}

let building: Promise<Build> | undefined;

/** Builds once for the whole file; every test copies or links the one result. */
function build(): Promise<Build> {
  building ??= (async () => {
    const root = Deno.makeTempDirSync({ prefix: "slips-exe-test-" });
    chmodSync(root, 0o755);
    const project = writeFixtureProject(join(root, "project"));
    const exeDir = join(root, "install");
    const exe = join(exeDir, "slips");
    // The plain deno binary posing as denort makes `deno compile` "succeed" with a broken
    // result, which the probe must catch before falling back.
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(REPO, "tools", "compile.ts"), "--root", project, "--out", exe],
      env: { DENORT_BIN: Deno.execPath() },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const buildLog = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, `tools/compile.ts failed:\n${buildLog}`);
    writeProbeModules(exeDir);
    const bin = join(root, "bin");
    mkdirSync(bin);
    for (const tool of LAUNCHER_TOOLS) symlinkSync(which(tool), join(bin, tool));
    return { root, exe, exeDir, bin, buildLog };
  })();
  return building;
}

globalThis.addEventListener("unload", () => {
  building?.then((b) => rmSync(b.root, { recursive: true, force: true })).catch(() => {});
});

/** Runs the executable with nothing inherited: PATH holds only the launcher's tools. */
async function runExe(
  b: Build,
  exe: string,
  args: string[],
  env: Record<string, string>,
  prefix: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const offline = IS_ROOT ? [which("unshare"), "--net", "--"] : [];
  const argv = [...offline, ...prefix, exe, ...args];
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    env: { PATH: b.bin, ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

function freshHome(b: Build, name: string): string {
  const home = join(b.root, name);
  mkdirSync(home, { mode: 0o700 });
  return home;
}

function report(r: { code: number; stdout: string; stderr: string }): Report {
  assert.equal(r.code, 0, `the executable failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "") as Report;
}

Deno.test("compile falls back to a self-extracting executable when deno compile is unusable", async () => {
  const b = await build();
  assert.match(b.buildLog, /building a self-extracting executable instead/);
  assert.match(b.buildLog, /route self-extracting ->/);
  const head = new TextDecoder().decode(Deno.readFileSync(b.exe).subarray(0, 10));
  assert.equal(head, "#!/bin/sh\n");
});

Deno.test("the executable runs offline without deno and loads modules beside it through @slips/core", async () => {
  const b = await build();
  const home = freshHome(b, "home-offline");
  // Root would unpack into /var/cache; keep the test's traces in its own directory.
  const env: Record<string, string> = IS_ROOT
    ? { HOME: home, SLIPS_CACHE_DIR: home }
    : { HOME: home };
  const rep = report(await runExe(b, b.exe, ["report"], env));
  assert.equal(rep.home, b.exeDir, "SLIPS_HOME must be the executable's directory");
  assert.ok(rep.bundle.startsWith(home), `unpacked into ${rep.bundle}, not under ${home}`);
  assert.equal(rep.mainUrl, `file://${rep.bundle}/main.ts`);
  assert.equal(rep.sameCore, true, "a module beside the executable must share main's core");
  assert.equal(rep.npmRange, "private", "npm packages come from the vendored cache");
  assert.equal(rep.fromWorker, "worker sees private");
});

Deno.test("later runs reuse the unpacked tree instead of unpacking again", async () => {
  const b = await build();
  const home = freshHome(b, "home-reuse");
  const env = { HOME: home, SLIPS_CACHE_DIR: home };
  const first = report(await runExe(b, b.exe, ["report"], env));
  const marker = join(dirname(first.bundle), "reuse-marker");
  Deno.writeTextFileSync(marker, "left by the test\n");
  const second = report(await runExe(b, b.exe, ["report"], env));
  assert.equal(second.bundle, first.bundle);
  assert.ok(existsSync(marker), "the tree was unpacked again on the second run");
  assert.deepEqual(
    [...Deno.readDirSync(home)].map((e) => e.name).filter((n) => n.startsWith(".extract")),
    [],
    "no temporary extraction directory may be left behind",
  );
});

Deno.test("exit codes and signals reach the caller because the launcher execs deno", async () => {
  const b = await build();
  const home = freshHome(b, "home-exit");
  const env = { HOME: home, SLIPS_CACHE_DIR: home };
  assert.equal((await runExe(b, b.exe, ["exit", "7"], env)).code, 7);
  assert.equal((await runExe(b, b.exe, ["exit", "0"], env)).code, 0);

  const child = new Deno.Command(b.exe, {
    args: ["sleep"],
    env: { PATH: b.bin, ...env },
    clearEnv: true,
    stdout: "null",
    stderr: "null",
  }).spawn();
  // The pid stays the same across exec; wait until it is deno rather than sh.
  let comm = "";
  for (let i = 0; i < 200 && comm !== "deno"; i++) {
    await new Promise((r) => setTimeout(r, 50));
    comm = Deno.readTextFileSync(`/proc/${child.pid}/comm`).trim();
  }
  assert.equal(comm, "deno", "the launcher process should have become deno");
  child.kill("SIGTERM");
  const status = await child.status;
  assert.equal(status.signal, "SIGTERM");
});

Deno.test("a symlink to the executable still finds modules beside the real file", async () => {
  const b = await build();
  const home = freshHome(b, "home-link");
  const linkDir = join(b.root, "elsewhere");
  mkdirSync(linkDir);
  symlinkSync(b.exe, join(linkDir, "slips"));
  const rep = report(
    await runExe(b, join(linkDir, "slips"), ["report"], { HOME: home, SLIPS_CACHE_DIR: home }),
  );
  assert.equal(rep.home, b.exeDir);
  assert.equal(rep.sameCore, true);
});

Deno.test({
  name: "an ordinary user without a writable home unpacks into TMPDIR",
  ignore: !IS_ROOT,
  fn: async () => {
    const b = await build();
    const home = join(b.root, "home-readonly");
    mkdirSync(home, { mode: 0o555 });
    const tmp = join(b.root, "tmp");
    mkdirSync(tmp);
    chmodSync(tmp, 0o1777);
    const rep = report(
      await runExe(b, b.exe, ["report"], { HOME: home, TMPDIR: tmp }, [
        which("setpriv"),
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "--",
      ]),
    );
    assert.match(rep.bundle, new RegExp(`^${tmp}/slips-65534-[0-9a-f]{16}/app$`));
    assert.equal(rep.sameCore, true);
  },
});

Deno.test({
  name: "root refuses a cache directory another user controls",
  ignore: !IS_ROOT,
  fn: async () => {
    const b = await build();
    const foreign = join(b.root, "foreign-cache");
    mkdirSync(foreign, { mode: 0o755 });
    Deno.chownSync(foreign, 65534, 65534);
    const tmp = join(b.root, "tmp-root");
    mkdirSync(tmp, { mode: 0o700 });
    const before = existsSync("/var/cache/slips") ? [...Deno.readDirSync("/var/cache/slips")] : [];
    const rep = report(
      await runExe(b, b.exe, ["report"], { HOME: foreign, SLIPS_CACHE_DIR: foreign, TMPDIR: tmp }),
    );
    try {
      assert.ok(!rep.bundle.startsWith(foreign), `root used ${rep.bundle}`);
      assert.deepEqual([...Deno.readDirSync(foreign)], [], "nothing may be written there");
      assert.ok(
        rep.bundle.startsWith("/var/cache/slips/") || rep.bundle.startsWith(`${tmp}/slips-0-`),
        `unexpected location ${rep.bundle}`,
      );
    } finally {
      const dir = dirname(rep.bundle);
      if (dir.startsWith("/var/cache/slips/") && !before.some((e) => dir.endsWith(e.name))) {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  },
});

Deno.test("the build copies the executable's program only, not modules/ or tests/", async () => {
  const b = await build();
  const home = freshHome(b, "home-contents");
  const rep = report(await runExe(b, b.exe, ["report"], { HOME: home, SLIPS_CACHE_DIR: home }));
  const names = [...Deno.readDirSync(rep.bundle)].map((e) => e.name).sort();
  assert.deepEqual(names, ["core", "deno.json", "deno.lock", "main.ts"]);
  assert.ok(existsSync(join(dirname(rep.bundle), "deno_dir", "npm")));
});
