/** TLS: hello parsing, JA3/JA3S, certificates and validation status, TLS 1.3. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { ofKind, runEngine, runEngineBytes } from "./engine_run.ts";
import { Capture, concat, TcpSession, u16 } from "./packet_builder.ts";
import {
  certificateMessage,
  clientHello,
  derCertificate,
  groupsExt,
  handshake,
  pointFormatsExt,
  serverHello,
  sniExt,
  tlsRecord,
} from "./tls_builder.ts";
import { fieldValues, TSHARK_MISSING, tsharkAvailable } from "./tshark_oracle.ts";

const C = "10.20.0.2";
const S = "198.51.100.7";
const DAY = 86400;
const NOW = 1_700_000_000;

const GREASE = 0x1a1a;
const CIPHERS = [GREASE, 0x1301, 0xc02f, 0xc030, 0x009c];
const GROUPS = [GREASE, 29, 23, 24];

function hello12(sni: string): Uint8Array {
  return clientHello({
    ciphers: CIPHERS,
    extensions: [
      { type: GREASE, data: new Uint8Array(0) },
      sniExt(sni),
      groupsExt(GROUPS),
      pointFormatsExt([0]),
      { type: 35, data: new Uint8Array(0) },
    ],
  });
}

function tls12Session(cap: Capture, cport: number, chain: Uint8Array[], sni: string): void {
  const s = new TcpSession(cap, { client: C, server: S, cport, sport: 443 });
  s.handshake();
  s.send(true, tlsRecord(22, hello12(sni), 0x0301));
  const ske = handshake(
    12,
    concat(new Uint8Array([3]), u16(23), new Uint8Array([65]), new Uint8Array(65)),
  );
  const flight = concat(
    serverHello({
      cipher: 0xc02f,
      extensions: [{ type: 65281, data: new Uint8Array([0]) }, {
        type: 11,
        data: new Uint8Array([1, 0]),
      }],
    }),
    certificateMessage(chain),
    ske,
    handshake(14, new Uint8Array(0)),
  );
  s.send(false, tlsRecord(22, flight), 500);
  s.send(
    true,
    concat(
      tlsRecord(22, handshake(16, new Uint8Array(66))),
      tlsRecord(20, new Uint8Array([1])),
      tlsRecord(22, new Uint8Array(40)),
    ),
  );
  s.send(false, concat(tlsRecord(20, new Uint8Array([1])), tlsRecord(22, new Uint8Array(40))));
  s.send(true, tlsRecord(23, new Uint8Array(200)));
  s.send(false, tlsRecord(23, new Uint8Array(900)));
  s.close();
}

Deno.test("TLS 1.2: version, cipher, curve, SNI, JA3/JA3S, self-signed certificate", async () => {
  const cap = new Capture({ start: NOW });
  const cert = derCertificate({
    subject: [["C", "CZ"], ["O", "Evil, Inc."], ["CN", "c2.example.net"]],
    issuer: [["C", "CZ"], ["O", "Evil, Inc."], ["CN", "c2.example.net"]],
    notBefore: NOW - DAY,
    notAfter: NOW + 30 * DAY,
    san: ["c2.example.net", "*.c2.example.net"],
  });
  tls12Session(cap, 51000, [cert], "c2.example.net");
  const bytes = cap.bytes();
  const run = await runEngineBytes("tls12", bytes);
  const [ssl] = ofKind(run.records, "ssl");
  assert.equal(ssl.version, "TLSv12");
  assert.equal(ssl.cipher, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  assert.equal(ssl.curve, "secp256r1");
  assert.equal(ssl.serverName, "c2.example.net");
  assert.equal(ssl.established, true);
  assert.equal(ssl.resumed, false);
  // JA3 as its definition says: GREASE values left out.
  const ja3 = "771,4865-49199-49200-156,0-10-11-35,29-23-24,0";
  assert.equal(ssl.ja3, createHash("md5").update(ja3).digest("hex"));
  assert.equal(ssl.ja3s, createHash("md5").update("771,49199,65281-11").digest("hex"));
  const sha1 = createHash("sha1").update(cert).digest("hex");
  assert.deepEqual(ssl.certChainFps, [sha1]);
  assert.equal(ssl.subject, "CN=c2.example.net,O=Evil\\, Inc.,C=CZ");
  assert.equal(ssl.issuer, ssl.subject);
  assert.equal(ssl.validationStatus, "self signed certificate");
  assert.equal(ssl.notValidBefore, NOW - DAY);
  assert.equal(ssl.notValidAfter, NOW + 30 * DAY);

  const [x509] = ofKind(run.records, "x509");
  assert.equal(x509.fingerprint, sha1);
  assert.deepEqual(x509.sanDns, ["c2.example.net", "*.c2.example.net"]);
  const [file] = ofKind(run.records, "files");
  assert.equal(file.fileSource, "SSL");
  assert.equal(file.sha1, sha1);
  assert.deepEqual(file.txHosts, [S]);
  assert.equal(file.uid, x509.uid);
  assert.equal(ofKind(run.records, "conn")[0].appproto, "ssl");

  if (!(await tsharkAvailable())) {
    console.warn(TSHARK_MISSING);
    return;
  }
  // tshark computes the same fingerprints from the same bytes.
  const path = await Deno.makeTempFile({ suffix: ".pcap" });
  try {
    await Deno.writeFile(path, bytes);
    const rows = await fieldValues(path, "tls.handshake.type == 1 || tls.handshake.type == 2", [
      "tls.handshake.ja3",
      "tls.handshake.ja3s",
    ]);
    assert.deepEqual(rows.map((r) => r.join("")).sort(), [ssl.ja3, ssl.ja3s].sort());
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("TLS certificate chains: unknown issuer, private root, expired", async () => {
  const cap = new Capture({ start: NOW });
  const leaf = (issuer: string, notAfter = NOW + DAY) =>
    derCertificate({
      subject: [["CN", "www.example.com"]],
      issuer: [["CN", issuer]],
      notBefore: NOW - DAY,
      notAfter,
    });
  const privateRoot = derCertificate({
    subject: [["CN", "Home Lab Root"]],
    issuer: [["CN", "Home Lab Root"]],
    notBefore: NOW - DAY,
    notAfter: NOW + DAY,
  });
  // Issued directly by a root the runtime trusts (Let's Encrypt's).
  const isrg: Array<[string, string]> = [
    ["C", "US"],
    ["O", "Internet Security Research Group"],
    ["CN", "ISRG Root X1"],
  ];
  const underKnownRoot = (notAfter: number) =>
    derCertificate({
      subject: [["CN", "www.example.com"]],
      issuer: isrg,
      notBefore: NOW - 2 * DAY,
      notAfter,
    });
  tls12Session(cap, 52001, [leaf("Some Intermediate CA")], "a.example.com");
  tls12Session(cap, 52002, [leaf("Home Lab Root"), privateRoot], "b.example.com");
  tls12Session(cap, 52003, [underKnownRoot(NOW - DAY)], "c.example.com");
  tls12Session(cap, 52004, [underKnownRoot(NOW + DAY)], "d.example.com");
  const run = await runEngineBytes("chains", cap.bytes());
  const ssl = ofKind(run.records, "ssl");
  assert.deepEqual(ssl.map((r) => r.validationStatus), [
    "unable to get local issuer certificate",
    "self signed certificate in certificate chain",
    "certificate has expired",
    "ok",
  ]);
  assert.equal(ssl[2].issuer, "CN=ISRG Root X1,O=Internet Security Research Group,C=US");
  assert.equal(ofKind(run.records, "x509").length, 5);
});

Deno.test("TLS 1.3: version from supported_versions, curve from the key share, resumption", async () => {
  const cap = new Capture({ start: NOW });
  const s = new TcpSession(cap, { client: C, server: S, cport: 53000, sport: 443 });
  const sid = new Uint8Array(32).fill(0x33);
  s.handshake();
  s.send(
    true,
    tlsRecord(
      22,
      clientHello({
        sessionId: sid,
        ciphers: [0x1301, 0x1302],
        extensions: [sniExt("tls13.example.org"), groupsExt([29]), {
          type: 43,
          data: new Uint8Array([2, 3, 4]),
        }],
      }),
      0x0301,
    ),
  );
  s.send(
    false,
    concat(
      tlsRecord(
        22,
        serverHello({
          sessionId: sid,
          cipher: 0x1302,
          extensions: [{ type: 43, data: u16(0x0304) }, {
            type: 51,
            data: concat(u16(29), u16(32), new Uint8Array(32)),
          }],
        }),
      ),
      tlsRecord(20, new Uint8Array([1])),
      tlsRecord(23, new Uint8Array(2000)),
    ),
  );
  s.send(true, concat(tlsRecord(20, new Uint8Array([1])), tlsRecord(23, new Uint8Array(60))));
  s.close();
  const run = await runEngineBytes("tls13", cap.bytes());
  const [ssl] = ofKind(run.records, "ssl");
  assert.deepEqual(
    [ssl.version, ssl.cipher, ssl.curve, ssl.serverName, ssl.established, ssl.resumed],
    ["TLSv13", "TLS_AES_256_GCM_SHA384", "x25519", "tls13.example.org", true, true],
  );
  assert.deepEqual(ssl.certChainFps, []);
  assert.equal(ssl.validationStatus, "");
});

Deno.test("a TLS handshake that never completes is still reported, not established", async () => {
  const cap = new Capture({ start: NOW });
  const s = new TcpSession(cap, { client: C, server: S, cport: 54000, sport: 8443 });
  s.handshake();
  s.send(true, tlsRecord(22, hello12("stalled.example.com"), 0x0301));
  s.frame(false, "RA");
  const path = await Deno.makeTempFile({ suffix: ".pcap" });
  try {
    await Deno.writeFile(path, cap.bytes());
    const run = await runEngine(path);
    const [ssl] = ofKind(run.records, "ssl");
    assert.equal(ssl.serverName, "stalled.example.com");
    assert.equal(ssl.established, false);
    assert.equal(ssl.version, "");
    assert.equal(ofKind(run.records, "conn")[0].state, "RSTR");
  } finally {
    await Deno.remove(path);
  }
});
