/**
 * Privilege drop. The pure parts run everywhere; the drop itself runs as root in a child process
 * (a drop cannot be undone), against a real user and a real root-only file.
 */
import assert from "node:assert/strict";
import { chooseTarget, findInPasswd, parseProcStatus } from "../../core/privileges/mod.ts";
import type { Credentials, DropResult } from "../../core/privileges/mod.ts";

const IS_ROOT = Deno.uid() === 0;
if (!IS_ROOT) {
  console.error(
    "\n*** tests/privileges: NOT RUNNING AS ROOT: the privilege-drop tests are SKIPPED. ***\n" +
      "*** Run `deno test -A tests/privileges/` as root to exercise setuid/setgid.      ***\n",
  );
}

const PROBE = new URL("./drop_probe.ts", import.meta.url).pathname;

interface ThreadReport {
  ids: Credentials;
  secret: string;
  open: string;
}

interface ProbeReport {
  beforeIds: Credentials;
  secretBefore: string;
  result: DropResult;
  main: ThreadReport;
  threads: Credentials[];
  workerStartedBefore: ThreadReport;
  workerStartedAfter: ThreadReport;
}

interface TestUser {
  name: string;
  uid: number;
  gid: number;
}

async function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(cmd, {
    args,
    env,
    clearEnv: false,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** The unprivileged account to switch to: `nobody` where it exists, else a created test user. */
async function testUser(): Promise<TestUser> {
  const passwd = Deno.readTextFileSync("/etc/passwd");
  for (const name of ["nobody", "slips-test"]) {
    const e = findInPasswd(passwd, name);
    if (e) return { name, uid: e.uid, gid: e.gid };
  }
  const made = await run("useradd", ["--system", "--no-create-home", "slips-test"]);
  assert.equal(made.code, 0, `useradd slips-test failed: ${made.stderr}`);
  const e = findInPasswd(Deno.readTextFileSync("/etc/passwd"), "slips-test");
  assert.ok(e, "slips-test was created but is not in /etc/passwd");
  return { name: "slips-test", uid: e.uid, gid: e.gid };
}

/** A directory anyone may enter, holding a root-only file and a world-readable one. */
function files(): { dir: string; secret: string; open: string } {
  const dir = Deno.makeTempDirSync({ prefix: "slips-priv-" });
  Deno.chmodSync(dir, 0o755);
  const secret = `${dir}/root_only.txt`;
  const open = `${dir}/world_readable.txt`;
  Deno.writeTextFileSync(secret, "only root may read this\n");
  Deno.chmodSync(secret, 0o600);
  Deno.writeTextFileSync(open, "anyone may read this\n");
  Deno.chmodSync(open, 0o644);
  return { dir, secret, open };
}

async function probe(
  prefix: string[],
  probeArgs: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; report?: ProbeReport; stderr: string }> {
  const args = [...prefix, Deno.execPath(), "run", "-A", PROBE, ...probeArgs];
  const r = await run(args[0], args.slice(1), env);
  const line = r.stdout.trim().split("\n").at(-1) ?? "";
  return {
    code: r.code,
    report: line.startsWith("{") ? JSON.parse(line) as ProbeReport : undefined,
    stderr: r.stderr,
  };
}

function assertIsTarget(c: Credentials, u: TestUser, where: string): void {
  assert.deepEqual(
    [c.uid, c.euid, c.suid, c.gid, c.egid, c.sgid],
    [u.uid, u.uid, u.uid, u.gid, u.gid, u.gid],
    `${where}: real/effective/saved uid and gid should all be ${u.name}'s`,
  );
  assert.deepEqual(c.groups, [], `${where}: supplementary groups should be cleared`);
  assert.match(c.capEff, /^0+$/, `${where}: no effective capabilities may remain`);
  assert.match(c.capPrm, /^0+$/, `${where}: no permitted capabilities may remain`);
}

function assertDropped(report: ProbeReport, u: TestUser): void {
  assert.equal(report.result.dropped, true, report.result.reason);
  assert.equal(report.result.uid, u.uid);
  assert.equal(report.result.gid, u.gid);
  assert.equal(report.secretBefore, "read", "root should read the secret before the drop");
  assertIsTarget(report.main.ids, u, "main thread");
  assert.equal(report.main.secret, "PermissionDenied");
  assert.equal(report.main.open, "read", "the world-readable file must stay readable");
  assert.ok(report.threads.length > 1, "a Deno process has several threads");
  report.threads.forEach((t, i) => assertIsTarget(t, u, `thread #${i}`));
  for (const key of ["workerStartedBefore", "workerStartedAfter"] as const) {
    assertIsTarget(report[key].ids, u, key);
    assert.equal(report[key].secret, "PermissionDenied", `${key} must not read the secret`);
    assert.equal(report[key].open, "read", `${key} must read the world-readable file`);
  }
}

Deno.test("parseProcStatus reads real, effective, saved ids and groups", () => {
  const text = [
    "Name:\tdeno",
    "Uid:\t1000\t1001\t1002\t1003",
    "Gid:\t20\t21\t22\t23",
    "Groups:\t4 24 27 ",
    "CapInh:\t0000000000000000",
    "CapPrm:\t000001ffffffffff",
    "CapEff:\t0000000000000000",
    "",
  ].join("\n");
  assert.deepEqual(parseProcStatus(text), {
    uid: 1000,
    euid: 1001,
    suid: 1002,
    gid: 20,
    egid: 21,
    sgid: 22,
    groups: [4, 24, 27],
    capPrm: "000001ffffffffff",
    capEff: "0000000000000000",
  });
  const noGroups = "Uid:\t0 0 0 0\nGid:\t0 0 0 0\nGroups:\t\nCapPrm:\t0\nCapEff:\t0\n";
  assert.deepEqual(parseProcStatus(noGroups).groups, []);
  assert.throws(
    () => parseProcStatus("Uid:\t0 0 0 0\nGid:\t0 0 0 0\n", "/proc/y"),
    /\/proc\/y: expected a hex "CapPrm:" line/,
  );
  assert.throws(() => parseProcStatus("Gid:\t0 0 0 0\n", "/proc/x"), /\/proc\/x has no "Uid:"/);
});

Deno.test("findInPasswd finds a user and skips malformed lines", () => {
  const text = [
    "# comment",
    "broken:x:notanumber:1:::",
    "short:x:1",
    "alice:x:1000:1000:Alice:/home/alice:/bin/sh",
  ].join("\n");
  assert.deepEqual(findInPasswd(text, "alice"), {
    name: "alice",
    uid: 1000,
    gid: 1000,
    home: "/home/alice",
    shell: "/bin/sh",
  });
  assert.equal(findInPasswd(text, "broken"), undefined);
  assert.equal(findInPasswd(text, "short"), undefined);
  assert.equal(findInPasswd(text, "bob"), undefined);
});

Deno.test("chooseTarget prefers --user, then SUDO_UID/SUDO_GID, else gives a reason", () => {
  const passwd = "alice:x:1000:1001::/home/alice:/bin/sh\n";
  const lookup = (name: string) => findInPasswd(passwd, name);
  const sudo = { SUDO_UID: "2000", SUDO_GID: "2001", SUDO_USER: "bob" };
  assert.deepEqual(chooseTarget({ user: "alice" }, sudo, lookup), {
    uid: 1000,
    gid: 1001,
    name: "alice",
    source: "--user",
  });
  assert.deepEqual(chooseTarget({}, sudo, lookup), {
    uid: 2000,
    gid: 2001,
    name: "bob",
    source: "SUDO_UID",
  });
  const none = chooseTarget({}, {}, lookup);
  assert.ok("reason" in none && /no --user/.test(none.reason));
  const bad = chooseTarget({}, { SUDO_UID: "x", SUDO_GID: "1" }, lookup);
  assert.ok("reason" in bad && /not numeric/.test(bad.reason));
  assert.throws(() => chooseTarget({ user: "nosuch" }, sudo, lookup), /"nosuch" given with --user/);
});

Deno.test({
  name: "as root, --user switches every thread, including later workers, to that user",
  ignore: !IS_ROOT,
  fn: async () => {
    const u = await testUser();
    const f = files();
    try {
      // Start with supplementary groups so that clearing them is observable.
      const r = await probe(
        ["setpriv", "--groups", "4,24", "--"],
        [f.secret, f.open, u.name],
      );
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.report, `probe printed no report: ${r.stderr}`);
      assert.deepEqual(r.report.beforeIds.groups, [4, 24]);
      assertDropped(r.report, u);
    } finally {
      Deno.removeSync(f.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "as root under sudo, the SUDO_UID/SUDO_GID user is the target",
  ignore: !IS_ROOT,
  fn: async () => {
    const u = await testUser();
    const f = files();
    try {
      const r = await probe([], [f.secret, f.open], {
        SUDO_UID: String(u.uid),
        SUDO_GID: String(u.gid),
        SUDO_USER: u.name,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.report, `probe printed no report: ${r.stderr}`);
      assertDropped(r.report, u);
      assert.match(r.report.result.reason, /from SUDO_UID/);
    } finally {
      Deno.removeSync(f.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "as root without sudo or --user, nothing is dropped and root keeps its access",
  ignore: !IS_ROOT,
  fn: async () => {
    const f = files();
    try {
      const env = Object.fromEntries(
        Object.entries(Deno.env.toObject()).filter(([k]) => !k.startsWith("SUDO_")),
      );
      const args = [Deno.execPath(), "run", "-A", PROBE, f.secret, f.open];
      const out = await new Deno.Command(args[0], {
        args: args.slice(1),
        env,
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      const report = JSON.parse(new TextDecoder().decode(out.stdout)) as ProbeReport;
      assert.equal(report.result.dropped, false);
      assert.match(report.result.reason, /not started through sudo and no --user/);
      assert.equal(report.main.ids.euid, 0);
      assert.doesNotMatch(report.main.ids.capEff, /^0+$/, "root keeps its capabilities");
      assert.equal(report.main.secret, "read");
    } finally {
      Deno.removeSync(f.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "as an ordinary user, dropPrivileges is a no-op that says why",
  ignore: !IS_ROOT,
  fn: async () => {
    const u = await testUser();
    const f = files();
    try {
      const r = await probe(
        ["setpriv", `--reuid=${u.uid}`, `--regid=${u.gid}`, "--clear-groups", "--"],
        [f.secret, f.open, u.name],
      );
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.report, `probe printed no report: ${r.stderr}`);
      assert.equal(r.report.result.dropped, false);
      assert.match(r.report.result.reason, /not running as root/);
      assert.equal(r.report.result.uid, u.uid);
    } finally {
      Deno.removeSync(f.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "as root, an unknown --user stops the program with an actionable message",
  ignore: !IS_ROOT,
  fn: async () => {
    const f = files();
    try {
      const r = await probe([], [f.secret, f.open, "no-such-user-slips"]);
      assert.notEqual(r.code, 0);
      assert.equal(r.report, undefined);
      assert.match(r.stderr, /"no-such-user-slips" given with --user does not exist/);
    } finally {
      Deno.removeSync(f.dir, { recursive: true });
    }
  },
});
