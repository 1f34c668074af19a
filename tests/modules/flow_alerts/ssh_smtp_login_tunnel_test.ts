import assert from "node:assert/strict";
import {
  conn,
  flowMsg,
  login,
  loginMsg,
  smtp,
  smtpMsg,
  software,
  softwareMsg,
  ssh,
  sshMsg,
  tunnel,
  tunnelMsg,
} from "./records.ts";
import { ofType, run } from "./run.ts";

const T = 1_700_000_000;

Deno.test("SSH_SUCCESSFUL: Zeek's verdict, conn flow joined by uid after the ssh record", async () => {
  const s = ssh({ authSuccess: true });
  const ev = ofType(
    await run([
      sshMsg(s),
      flowMsg(
        conn({
          uid: s.uid,
          daddr: s.daddr,
          dport: 22,
          appproto: "ssh",
          sbytes: 1000,
          dbytes: 2000,
        }),
      ),
    ]),
    "SSH_SUCCESSFUL",
  );
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "info");
  assert.equal(ev[0].confidence, 0.8);
  assert.deepEqual(ev[0].attacker, { direction: "SRC", iocType: "IP", value: "192.168.1.10" });
  assert.equal(ev[0].victim?.value, "185.199.108.7");
  assert.match(ev[0].description, /Zeek/);
  assert.match(ev[0].description, /3000 bytes/);
});

Deno.test("SSH_SUCCESSFUL: by size, with the conn flow handled before the ssh record", async () => {
  const s = ssh({ authSuccess: false });
  const ev = ofType(
    await run([
      flowMsg(
        conn({
          uid: s.uid,
          daddr: s.daddr,
          dport: 22,
          appproto: "ssh",
          sbytes: 3000,
          dbytes: 1291,
        }),
      ),
      sshMsg(s),
    ]),
    "SSH_SUCCESSFUL",
  );
  assert.equal(ev.length, 1);
  assert.match(ev[0].description, /Slips/);
});

Deno.test("SSH_SUCCESSFUL: not at or below the byte threshold, nor without its conn flow", async () => {
  const small = ssh({ authSuccess: false });
  const lonely = ssh({ authSuccess: null });
  const ev = await run([
    flowMsg(
      conn({
        uid: small.uid,
        daddr: small.daddr,
        dport: 22,
        appproto: "ssh",
        sbytes: 3000,
        dbytes: 1290,
      }),
    ),
    sshMsg(small),
    sshMsg(lonely),
    flowMsg(conn({ daddr: "151.101.1.9", ts: T + 500 })),
  ]);
  assert.equal(ofType(ev, "SSH_SUCCESSFUL").length, 0);
});

Deno.test("SSH_SUCCESSFUL: the byte threshold is ssh_succesful_detection_threshold", async () => {
  const s = ssh({ authSuccess: false });
  const ev = await run([
    sshMsg(s),
    flowMsg(conn({ uid: s.uid, appproto: "ssh", sbytes: 100, dbytes: 100 })),
  ], { config: { ssh_succesful_detection_threshold: "150" } });
  assert.equal(ofType(ev, "SSH_SUCCESSFUL").length, 1);
});

Deno.test("MULTIPLE_SSH_VERSIONS: a host's SSH client version changes", async () => {
  const ev = ofType(
    await run([
      softwareMsg(software({ versionMajor: "8", versionMinor: "1" })),
      softwareMsg(software({ versionMajor: "9", versionMinor: "1", ts: T + 4 })),
    ]),
    "MULTIPLE_SSH_VERSIONS",
  );
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "medium");
  assert.equal(ev[0].confidence, 0.9);
  assert.deepEqual(ev[0].attacker, { direction: "SRC", iocType: "IP", value: "192.168.1.10" });
  assert.match(ev[0].description, /client version from 8\.1 to 9\.1/);
});

Deno.test("MULTIPLE_SSH_VERSIONS: same version, other roles or hosts, other software", async () => {
  const ev = await run([
    softwareMsg(software()),
    softwareMsg(software({ ts: T + 1 })),
    softwareMsg(software({ softwareType: "SSH::SERVER", versionMajor: "7", versionMinor: "4" })),
    softwareMsg(software({ saddr: "192.168.1.11", versionMajor: "9" })),
    softwareMsg(software({ softwareType: "HTTP::SERVER", versionMajor: "2", versionMinor: "6" })),
  ]);
  assert.equal(ofType(ev, "MULTIPLE_SSH_VERSIONS").length, 0);
});

Deno.test("BAD_SMTP_LOGIN: the server rejected the credentials", async () => {
  const ev = ofType(await run([smtpMsg(smtp())]), "BAD_SMTP_LOGIN");
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "high");
  assert.equal(ev[0].confidence, 1);
  assert.equal(ev[0].attacker.value, "192.168.1.10");
  assert.equal(ev[0].victim?.value, "151.101.1.25");
});

Deno.test("BAD_SMTP_LOGIN: other replies are not bad logins", async () => {
  const ev = await run([smtpMsg(smtp({ lastReply: "250 2.0.0 Ok: queued" }))]);
  assert.equal(ofType(ev, "BAD_SMTP_LOGIN").length, 0);
});

Deno.test("SMTP_LOGIN_BRUTEFORCE: 3 bad logins within 10 seconds", async () => {
  const ev = ofType(
    await run([0, 4, 9].map((dt) => smtpMsg(smtp({ ts: T + dt })))),
    "SMTP_LOGIN_BRUTEFORCE",
  );
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "high");
  assert.equal(ev[0].confidence, 1);
  assert.equal(ev[0].victim?.value, "151.101.1.25");
});

Deno.test("SMTP_LOGIN_BRUTEFORCE: 3 bad logins over 20 seconds, or only 2, are not brute force", async () => {
  const ev = await run([0, 10, 20].map((dt) => smtpMsg(smtp({ ts: T + dt }))));
  assert.equal(ofType(ev, "SMTP_LOGIN_BRUTEFORCE").length, 0);
  const two = await run([0, 1].map((dt) => smtpMsg(smtp({ ts: T + dt }))));
  assert.equal(ofType(two, "SMTP_LOGIN_BRUTEFORCE").length, 0);
});

Deno.test("GRE_TUNNEL and GRE_SCAN: by the tunnel action", async () => {
  const ev = await run([
    tunnelMsg(tunnel({ action: "Tunnel::DISCOVER" })),
    tunnelMsg(tunnel({ action: "Tunnel::EXPIRE" })),
  ]);
  const scan = ofType(ev, "GRE_SCAN");
  const tun = ofType(ev, "GRE_TUNNEL");
  assert.equal(scan.length, 1);
  assert.equal(tun.length, 1);
  for (const e of [scan[0], tun[0]]) {
    assert.equal(e.threatLevel, "low");
    assert.equal(e.confidence, 1);
    assert.deepEqual(e.attacker, { direction: "SRC", iocType: "IP", value: "10.0.2.15" });
    assert.equal(e.victim?.value, "115.112.11.30");
  }
});

Deno.test("GRE_TUNNEL: other tunnel types are ignored", async () => {
  const ev = await run([tunnelMsg(tunnel({ tunnelType: "Tunnel::IP" }))]);
  assert.equal(ofType(ev, "GRE_TUNNEL").length + ofType(ev, "GRE_SCAN").length, 0);
});

Deno.test("LOGIN: telnet logins are INFO, blaming the server side, filed under the client", async () => {
  const ev = ofType(
    await run([loginMsg(login()), loginMsg(login({ success: false, user: "root", ts: T + 1 }))]),
    "LOGIN",
  );
  assert.equal(ev.length, 2);
  assert.equal(ev[0].threatLevel, "info");
  assert.equal(ev[0].confidence, 1);
  assert.deepEqual(ev[0].attacker, { direction: "DST", iocType: "IP", value: "192.168.1.20" });
  assert.deepEqual(ev[0].victim, { direction: "SRC", iocType: "IP", value: "192.168.1.10" });
  assert.equal(ev[0].profileIp, "192.168.1.10");
  assert.match(ev[0].description, /Successful telnet login .* as user admin/);
  assert.match(ev[1].description, /Failed telnet login/);
});

Deno.test("LOGIN: a record without a valid server address is skipped", async () => {
  const ev = await run([loginMsg(login({ daddr: "" }))]);
  assert.equal(ofType(ev, "LOGIN").length, 0);
});
