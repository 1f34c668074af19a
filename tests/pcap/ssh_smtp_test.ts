/** SSH (banners, key exchange, the authentication guess) and SMTP (commands, AUTH results). */
import assert from "node:assert/strict";
import { ofKind, runEngineBytes } from "./engine_run.ts";
import { Capture, concat, TcpSession, text, u32 } from "./packet_builder.ts";

function sshString(s: string | Uint8Array): Uint8Array {
  const b = typeof s === "string" ? text(s) : s;
  return concat(u32(b.length), b);
}

function sshPacket(payload: Uint8Array): Uint8Array {
  let pad = 8 - ((5 + payload.length) % 8);
  if (pad < 4) pad += 8;
  return concat(u32(1 + payload.length + pad), new Uint8Array([pad]), payload, new Uint8Array(pad));
}

function kexinit(algs: string[]): Uint8Array {
  return sshPacket(
    concat(new Uint8Array([20]), new Uint8Array(16), ...algs.map(sshString), new Uint8Array(5)),
  );
}

const CLIENT_ALGS = [
  "curve25519-sha256,ecdh-sha2-nistp256",
  "ssh-ed25519,rsa-sha2-512",
  "chacha20-poly1305@openssh.com,aes128-ctr",
  "chacha20-poly1305@openssh.com,aes128-ctr",
  "umac-64-etm@openssh.com,hmac-sha2-256",
  "umac-64-etm@openssh.com,hmac-sha2-256",
  "none,zlib@openssh.com",
  "none,zlib@openssh.com",
  "",
  "",
];
const SERVER_ALGS = [
  "ecdh-sha2-nistp256,curve25519-sha256",
  "rsa-sha2-512,ssh-ed25519",
  "aes128-ctr,chacha20-poly1305@openssh.com",
  "aes128-ctr,chacha20-poly1305@openssh.com",
  "hmac-sha2-256,umac-64-etm@openssh.com",
  "hmac-sha2-256,umac-64-etm@openssh.com",
  "none",
  "none",
  "",
  "",
];

/** An SSH session up to the encrypted phase, then server replies of the given sizes. */
function sshSession(
  cap: Capture,
  cport: number,
  serverPort: number,
  serverReplies: number[],
): void {
  const s = new TcpSession(cap, {
    client: "10.9.0.1",
    server: "10.9.0.2",
    cport,
    sport: serverPort,
  });
  s.handshake();
  s.send(false, text("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1\r\n"));
  s.send(true, text("SSH-2.0-OpenSSH_9.3\r\n"));
  s.send(true, kexinit(CLIENT_ALGS));
  s.send(false, kexinit(SERVER_ALGS));
  s.send(true, sshPacket(concat(new Uint8Array([30]), sshString(new Uint8Array(32)))));
  const hostKey = concat(sshString("ssh-ed25519"), sshString(new Uint8Array(32).fill(5)));
  s.send(
    false,
    concat(
      sshPacket(
        concat(
          new Uint8Array([31]),
          sshString(hostKey),
          sshString(new Uint8Array(32)),
          sshString(new Uint8Array(83)),
        ),
      ),
      sshPacket(new Uint8Array([21])),
    ),
  );
  // NEWKEYS and the first encrypted message (service request) in one segment.
  s.send(true, concat(sshPacket(new Uint8Array([21])), new Uint8Array(52)));
  s.send(false, new Uint8Array(44)); // SERVICE_ACCEPT
  for (const size of serverReplies) {
    s.send(true, new Uint8Array(100));
    s.send(false, new Uint8Array(size));
  }
  s.close();
}

Deno.test("SSH: banners, negotiated algorithms, host key, a successful login", async () => {
  const cap = new Capture();
  // First reply sets the failure size, the second is a failed attempt, then 44-16 = success.
  sshSession(cap, 41000, 22, [60, 60, 28]);
  const run = await runEngineBytes("ssh-ok", cap.bytes());
  const [ssh] = ofKind(run.records, "ssh");
  assert.equal(ssh.version, 2);
  assert.equal(ssh.client, "SSH-2.0-OpenSSH_9.3");
  assert.equal(ssh.server, "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1");
  assert.equal(ssh.kexAlg, "curve25519-sha256");
  assert.equal(ssh.hostKeyAlg, "ssh-ed25519");
  assert.equal(ssh.cipherAlg, "chacha20-poly1305@openssh.com");
  assert.equal(ssh.macAlg, "umac-64-etm@openssh.com");
  assert.equal(ssh.compressionAlg, "none");
  assert.match(ssh.hostKey, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
  assert.equal(ssh.authSuccess, true);
  assert.equal(ssh.authAttempts, 2);
  const sw = ofKind(run.records, "software");
  assert.deepEqual(
    sw.map((
      w,
    ) => [w.softwareType, w.saddr, w.name, w.versionMajor, w.versionMinor, w.unparsedVersion]),
    [
      ["SSH::SERVER", "10.9.0.2", "OpenSSH", "8", "9", "OpenSSH_8.9p1 Ubuntu-3ubuntu0.1"],
      ["SSH::CLIENT", "10.9.0.1", "OpenSSH", "9", "3", "OpenSSH_9.3"],
    ],
  );
  assert.equal(ofKind(run.records, "conn")[0].appproto, "ssh");
});

Deno.test("SSH: repeated failures on a non-standard port, and a port probe", async () => {
  const cap = new Capture();
  sshSession(cap, 41001, 2222, [60, 60, 60, 60]);
  // A client that connects, reads the banner and leaves.
  const probe = new TcpSession(cap, {
    client: "10.9.0.1",
    server: "10.9.0.2",
    cport: 41002,
    sport: 2222,
  });
  probe.handshake().send(false, text("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1\r\n")).close();
  const run = await runEngineBytes("ssh-fail", cap.bytes());
  const ssh = ofKind(run.records, "ssh");
  assert.deepEqual(ssh.map((r) => [r.dport, r.authSuccess, r.authAttempts, r.client]), [
    [2222, false, 3, "SSH-2.0-OpenSSH_9.3"],
    [2222, null, 0, ""],
  ]);
});

Deno.test("SMTP: one record per AUTH result and per message, with the last reply", async () => {
  const cap = new Capture();
  const s = new TcpSession(cap, {
    client: "10.1.1.5",
    server: "10.1.1.25",
    cport: 42000,
    sport: 587,
  });
  const say = (fromClient: boolean, line: string) => s.send(fromClient, text(line));
  s.handshake();
  say(false, "220 mail.example.com ESMTP\r\n");
  say(true, "EHLO client.example.com\r\n");
  say(false, "250-mail.example.com\r\n250-AUTH LOGIN PLAIN\r\n250 SIZE 10240000\r\n");
  say(true, "AUTH LOGIN\r\n");
  say(false, "334 VXNlcm5hbWU6\r\n");
  say(true, "dXNlcg==\r\n");
  say(false, "334 UGFzc3dvcmQ6\r\n");
  say(true, "d3Jvbmc=\r\n");
  say(false, "535 5.7.8 Authentication credentials invalid\r\n");
  say(true, "AUTH PLAIN AHVzZXIAcmlnaHQ=\r\n");
  say(false, "235 2.7.0 Authentication successful\r\n");
  say(true, "MAIL FROM:<a@example.com>\r\n");
  say(false, "250 2.1.0 Ok\r\n");
  say(true, "RCPT TO:<b@example.org>\r\n");
  say(false, "250 2.1.5 Ok\r\n");
  say(true, "DATA\r\n");
  say(false, "354 End data with <CR><LF>.<CR><LF>\r\n");
  say(true, "Subject: hi\r\n\r\nQUIT is not a command here\r\n.\r\n");
  say(false, "250 2.0.0 Ok: queued as 12345\r\n");
  say(true, "QUIT\r\n");
  say(false, "221 2.0.0 Bye\r\n");
  s.close();
  const run = await runEngineBytes("smtp", cap.bytes());
  const smtp = ofKind(run.records, "smtp");
  assert.deepEqual(smtp.map((r) => r.lastReply), [
    "535 5.7.8 Authentication credentials invalid",
    "235 2.7.0 Authentication successful",
    "250 2.0.0 Ok: queued as 12345",
  ]);
  assert.ok(smtp.every((r) => r.saddr === "10.1.1.5" && r.dport === 587));
  assert.equal(ofKind(run.records, "conn")[0].appproto, "smtp");
});
