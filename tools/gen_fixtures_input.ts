/**
 * Writes the input readers' test fixtures into tests/fixtures/input/: the same five flows rendered
 * in every flow format, a Zeek directory holding every supported log (TSV and JSON twins), a
 * labelled and a gzip-rotated directory, and deliberately broken inputs.
 *
 *   deno run -A tools/gen_fixtures_input.ts          (writes the files)
 *   renderInputFixtures()                            (the same content, for the drift test)
 */
import { ZEEK_CONN_FIELDS } from "../core/input/zeek_log_types.ts";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** One flow as every format should read it back. */
export interface FixtureFlow {
  ts: number;
  saddr: string;
  sport: number;
  daddr: string;
  dport: number;
  proto: "tcp" | "udp" | "icmp";
  dur: number;
  sbytes: number;
  dbytes: number;
  spkts: number;
  dpkts: number;
  established: boolean;
  /** ICMP type/code, -1 for other protocols. */
  icmpType: number;
  icmpCode: number;
  /** How each format writes the state of this flow. */
  zeekState: string;
  argusState: string;
  suricataState: string;
  nfdumpFlags: string;
}

/** Millisecond timestamps so that nfdump's text form can carry them exactly. */
export const FLOWS: FixtureFlow[] = [
  {
    ts: 1600000000.125,
    saddr: "10.0.0.5",
    sport: 49152,
    daddr: "93.184.216.34",
    dport: 80,
    proto: "tcp",
    dur: 1.5,
    sbytes: 300,
    dbytes: 5000,
    spkts: 5,
    dpkts: 6,
    established: true,
    icmpType: -1,
    icmpCode: -1,
    zeekState: "SF",
    argusState: "FSPA_FSPA",
    suricataState: "established",
    nfdumpFlags: "...AP.SF",
  },
  {
    ts: 1600000001.25,
    saddr: "10.0.0.5",
    sport: 53000,
    daddr: "8.8.8.8",
    dport: 53,
    proto: "udp",
    dur: 0.03,
    sbytes: 40,
    dbytes: 120,
    spkts: 1,
    dpkts: 1,
    established: true,
    icmpType: -1,
    icmpCode: -1,
    zeekState: "SF",
    argusState: "CON",
    suricataState: "established",
    nfdumpFlags: "........",
  },
  {
    ts: 1600000002.5,
    saddr: "10.0.0.5",
    sport: 40000,
    daddr: "10.0.0.9",
    dport: 22,
    proto: "tcp",
    dur: 0,
    sbytes: 0,
    dbytes: 0,
    spkts: 1,
    dpkts: 0,
    established: false,
    icmpType: -1,
    icmpCode: -1,
    zeekState: "S0",
    argusState: "S_",
    suricataState: "closed",
    nfdumpFlags: "......S.",
  },
  {
    ts: 1600000003.75,
    saddr: "10.0.0.5",
    sport: 8,
    daddr: "1.1.1.1",
    dport: 0,
    proto: "icmp",
    dur: 0.01,
    sbytes: 64,
    dbytes: 64,
    spkts: 1,
    dpkts: 1,
    established: true,
    icmpType: 8,
    icmpCode: 0,
    zeekState: "OTH",
    argusState: "ECO",
    suricataState: "established",
    nfdumpFlags: "........",
  },
  {
    ts: 1600000004.875,
    saddr: "2001:db8::1",
    sport: 51000,
    daddr: "2001:db8::2",
    dport: 443,
    proto: "tcp",
    dur: 12.25,
    sbytes: 1024,
    dbytes: 2048,
    spkts: 10,
    dpkts: 12,
    established: true,
    icmpType: -1,
    icmpCode: -1,
    zeekState: "SF",
    argusState: "SPA_SPA",
    suricataState: "established",
    nfdumpFlags: "...AP.S.",
  },
];

const TSV_PREAMBLE = (path: string) =>
  [
    "#separator \\x09",
    "#set_separator\t,",
    "#empty_field\t(empty)",
    "#unset_field\t-",
    `#path\t${path}`,
    "#open\t2020-09-13-12-26-40",
  ].join("\n") + "\n";

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** UTC date parts of a unix time: [YYYY, MM, DD, hh, mm, ss, fraction digits (6)]. */
function dateParts(ts: number): string[] {
  const d = new Date(Math.floor(ts) * 1000);
  const micros = String(Math.round((ts - Math.floor(ts)) * 1e6)).padStart(6, "0");
  return [
    String(d.getUTCFullYear()),
    pad2(d.getUTCMonth() + 1),
    pad2(d.getUTCDate()),
    pad2(d.getUTCHours()),
    pad2(d.getUTCMinutes()),
    pad2(d.getUTCSeconds()),
    micros,
  ];
}

const CONN_FIELDS = [...ZEEK_CONN_FIELDS, "orig_l2_addr", "resp_l2_addr"];
const CONN_TYPES = [
  "time",
  "string",
  "addr",
  "port",
  "addr",
  "port",
  "enum",
  "string",
  "interval",
  "count",
  "count",
  "string",
  "bool",
  "bool",
  "count",
  "string",
  "count",
  "count",
  "count",
  "count",
  "set[string]",
  "string",
  "string",
];

function connValues(f: FixtureFlow, i: number): (string | number | null)[] {
  return [
    f.ts.toFixed(6),
    `CFix${i}aaaaaaaaaaaaa`,
    f.saddr,
    f.sport,
    f.daddr,
    f.dport,
    f.proto,
    f.dport === 80 ? "http" : f.dport === 53 ? "dns" : null,
    f.dur.toFixed(6),
    f.sbytes,
    f.dbytes,
    f.zeekState,
    null,
    null,
    0,
    f.established ? "ShADadFf" : "S",
    f.spkts,
    f.sbytes + 40 * f.spkts,
    f.dpkts,
    f.dbytes + 40 * f.dpkts,
    null,
    "aa:bb:cc:00:00:01",
    "aa:bb:cc:00:00:02",
  ];
}

/** A Zeek TSV log from field names, types and rows (null = unset, [] = empty set). */
function zeekTsv(
  path: string,
  fields: string[],
  types: string[],
  rows: unknown[][],
  extraFields: { names: string[]; values: string[][] } | null = null,
  close = true,
): string {
  const names = extraFields ? [...fields, ...extraFields.names] : fields;
  const tps = extraFields ? [...types, ...extraFields.names.map(() => "string")] : types;
  let s = TSV_PREAMBLE(path) + `#fields\t${names.join("\t")}\n#types\t${tps.join("\t")}\n`;
  rows.forEach((r, k) => {
    const cells = r.map(tsvCell);
    if (extraFields) cells.push(...extraFields.values[k]);
    s += cells.join("\t") + "\n";
  });
  if (close) s += "#close\t2020-09-13-12-30-00\n";
  return s;
}

function tsvCell(v: unknown): string {
  if (v === null || v === undefined) return "-";
  if (Array.isArray(v)) return v.length === 0 ? "(empty)" : v.map(String).join(",");
  if (typeof v === "boolean") return v ? "T" : "F";
  return String(v);
}

/** The same rows as JSON lines, typed as Zeek writes them (numbers, booleans, arrays). */
function zeekJson(fields: string[], types: string[], rows: unknown[][]): string {
  return rows.map((r) => {
    const o: Record<string, unknown> = {};
    fields.forEach((name, k) => {
      const v = r[k];
      if (v === null || v === undefined) return;
      const t = types[k];
      if (Array.isArray(v)) {
        o[name] = t.includes("count") || t.includes("interval") ? v.map(Number) : v;
      } else if (
        (t === "time" || t === "interval" || t === "count" || t === "port" || t === "double") &&
        typeof v === "string"
      ) {
        o[name] = Number(v);
      } else if (typeof v === "string") {
        // JSON carries the characters TSV has to escape.
        o[name] = v.replace(
          /\\x([0-9a-fA-F]{2})/g,
          (_m, h: string) => String.fromCharCode(parseInt(h, 16)),
        );
      } else {
        o[name] = v;
      }
    });
    return JSON.stringify(o);
  }).join("\n") + "\n";
}

function argus(sep: string): string {
  const header = [
    "StartTime",
    "Dur",
    "Proto",
    "SrcAddr",
    "Sport",
    "Dir",
    "DstAddr",
    "Dport",
    "State",
    "sTos",
    "dTos",
    "TotPkts",
    "TotBytes",
    "SrcBytes",
    "SrcPkts",
    "Label",
  ];
  const rows = FLOWS.map((f) => {
    const [y, mo, d, h, mi, s, us] = dateParts(f.ts);
    const icmp = f.proto === "icmp";
    return [
      `${y}/${mo}/${d} ${h}:${mi}:${s}.${us}`,
      f.dur.toFixed(6),
      f.proto,
      f.saddr,
      icmp ? `0x${(f.icmpCode * 256 + f.icmpType).toString(16).padStart(4, "0")}` : f.sport,
      icmp ? "   ->" : "  <->",
      f.daddr,
      icmp ? "0x1c2b" : f.dport,
      f.argusState,
      0,
      0,
      f.spkts + f.dpkts,
      f.sbytes + f.dbytes,
      f.sbytes,
      f.spkts,
      "flow=Fixture",
    ].join(sep);
  });
  // A non-IP row is skipped without a warning.
  rows.splice(
    2,
    0,
    [
      "2020/09/13 12:26:41.000000",
      "0.000000",
      "llc",
      "00:00:00:00:00:00",
      "0",
      "   ->",
      "00:00:00:00:00:00",
      "0",
      "INT",
      "",
      "",
      "1",
      "60",
      "60",
      "1",
      "",
    ]
      .join(sep),
  );
  return [header.join(sep), ...rows].join("\n") + "\n";
}

function suricataTime(ts: number): string {
  const [y, mo, d, h, mi, s, us] = dateParts(ts);
  return `${y}-${mo}-${d}T${h}:${mi}:${s}.${us}+0000`;
}

function suricata(): string {
  return FLOWS.map((f, i) => {
    const icmp = f.proto === "icmp";
    const e: Record<string, unknown> = {
      timestamp: suricataTime(f.ts + f.dur),
      flow_id: 1000000000000000 + i,
      event_type: "flow",
      src_ip: f.saddr,
      ...(icmp ? {} : { src_port: f.sport }),
      dest_ip: f.daddr,
      ...(icmp ? {} : { dest_port: f.dport }),
      proto: f.proto.toUpperCase(),
      ...(icmp ? { icmp_type: f.icmpType, icmp_code: f.icmpCode } : {}),
      app_proto: f.dport === 80 ? "http" : "failed",
      flow: {
        pkts_toserver: f.spkts,
        pkts_toclient: f.dpkts,
        bytes_toserver: f.sbytes,
        bytes_toclient: f.dbytes,
        start: suricataTime(f.ts),
        end: suricataTime(f.ts + f.dur),
        age: Math.round(f.dur),
        state: f.suricataState,
        reason: "timeout",
        alerted: false,
      },
    };
    return JSON.stringify(e);
  }).join("\n") + "\n";
}

/** Suricata's other event types, each once, sharing the first flow's id. */
function suricataEvents(): string {
  const f = FLOWS[0];
  const common = {
    flow_id: 1000000000000000,
    src_ip: f.saddr,
    src_port: f.sport,
    dest_ip: f.daddr,
    dest_port: f.dport,
    proto: "TCP",
  };
  const t = suricataTime(f.ts + 0.5);
  const lines: Record<string, unknown>[] = [
    {
      timestamp: t,
      event_type: "http",
      ...common,
      http: {
        hostname: "example.com",
        url: "/index.html",
        http_user_agent: "curl/8.0",
        http_method: "GET",
        protocol: "HTTP/1.1",
        status: 200,
        length: 5000,
        http_content_type: "text/html",
      },
    },
    {
      timestamp: t,
      event_type: "dns",
      ...common,
      src_port: 53000,
      dest_ip: "8.8.8.8",
      dest_port: 53,
      proto: "UDP",
      dns: {
        type: "answer",
        id: 1,
        rrname: "example.com",
        rrtype: "A",
        rcode: "NOERROR",
        answers: [{ rrname: "example.com", rrtype: "A", ttl: 300, rdata: "93.184.216.34" }],
      },
    },
    {
      timestamp: t,
      event_type: "tls",
      ...common,
      dest_port: 443,
      tls: {
        subject: "CN=example.com",
        issuerdn: "CN=Fixture CA",
        fingerprint: "aa:bb:cc",
        sni: "example.com",
        version: "TLS 1.2",
        notbefore: "2020-01-01T00:00:00",
        notafter: "2021-01-01T00:00:00",
        ja3: { hash: "ja3hash" },
        ja3s: { hash: "ja3shash" },
      },
    },
    {
      timestamp: t,
      event_type: "fileinfo",
      ...common,
      app_proto: "http",
      fileinfo: { filename: "/index.html", size: 5000, md5: "00112233445566778899aabbccddeeff" },
    },
    {
      timestamp: t,
      event_type: "ssh",
      ...common,
      dest_port: 22,
      ssh: {
        client: { proto_version: "2.0", software_version: "OpenSSH_8.1" },
        server: { proto_version: "2.0", software_version: "OpenSSH_9.0" },
      },
    },
    {
      timestamp: t,
      event_type: "alert",
      ...common,
      alert: {
        signature_id: 2000001,
        signature: "FIXTURE test alert",
        category: "Misc Attack",
        severity: 2,
      },
    },
    {
      timestamp: t,
      event_type: "anomaly",
      ...common,
      anomaly: { type: "applayer", event: "APPLAYER_DETECT_PROTOCOL_ONLY_ONE_DIRECTION" },
    },
    { timestamp: t, event_type: "stats", stats: { uptime: 1 } },
  ];
  return lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
}

function nfdumpCsv(): string {
  const header =
    "ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr";
  const rows = FLOWS.map((f) => {
    const time = (ts: number) => {
      const [y, mo, d, h, mi, s, us] = dateParts(ts);
      return `${y}-${mo}-${d} ${h}:${mi}:${s}.${us.slice(0, 3)}`;
    };
    const icmp = f.proto === "icmp";
    return [
      time(f.ts),
      time(f.ts + f.dur),
      f.dur.toFixed(3),
      f.saddr,
      f.daddr,
      icmp ? 0 : f.sport,
      icmp ? `${f.icmpType}.${f.icmpCode}` : f.dport,
      f.proto.toUpperCase(),
      f.nfdumpFlags,
      0,
      0,
      f.spkts,
      f.sbytes,
      f.dpkts,
      f.dbytes,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      "0.0.0.0",
      "0.0.0.0",
      0,
      0,
      "00:00:00:00:00:00",
      "00:00:00:00:00:00",
      "00:00:00:00:00:00",
      "00:00:00:00:00:00",
      ...Array(10).fill("0-0-0"),
      "    0.000",
      "    0.000",
      "    0.000",
      "127.0.0.1",
      "0/0",
      1,
      "1970-01-01 00:00:00.000",
    ].join(",");
  });
  return [header, ...rows, "Summary", "flows,bytes,packets,avg_bps,avg_pps,avg_bpp", "5,0,0,0,0,0"]
    .join("\n") + "\n";
}

interface LogSpec {
  fields: string[];
  types: string[];
  rows: unknown[][];
}

const TUPLE = ["ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p"];
const TUPLE_T = ["time", "string", "addr", "port", "addr", "port"];
const T0 = 1600000010;

function tuple(k: number, uid: string, s = "10.0.0.5", sp = 50000, d = "198.51.100.7", dp = 80) {
  return [(T0 + k).toFixed(6), uid, s, sp, d, dp];
}

/** One or two rows of every supported Zeek log, in the fields each version of Zeek writes. */
export const ZEEK_LOGS: Record<string, LogSpec> = {
  conn: {
    fields: CONN_FIELDS,
    types: CONN_TYPES,
    rows: FLOWS.map((f, i) => connValues(f, i)),
  },
  dns: {
    fields: [
      ...TUPLE,
      "proto",
      "trans_id",
      "query",
      "qclass",
      "qclass_name",
      "qtype",
      "qtype_name",
      "rcode",
      "rcode_name",
      "answers",
      "TTLs",
      "rejected",
    ],
    types: [
      ...TUPLE_T,
      "enum",
      "count",
      "string",
      "count",
      "string",
      "count",
      "string",
      "count",
      "string",
      "vector[string]",
      "vector[interval]",
      "bool",
    ],
    rows: [[
      ...tuple(1, "CDns1", "10.0.0.5", 53000, "8.8.8.8", 53),
      "udp",
      1234,
      "example.com",
      1,
      "C_INTERNET",
      1,
      "A",
      0,
      "NOERROR",
      ["www.example.com", "93.184.216.34"],
      ["60.000000", "300.000000"],
      false,
    ]],
  },
  http: {
    fields: [
      ...TUPLE,
      "trans_depth",
      "method",
      "host",
      "uri",
      "version",
      "user_agent",
      "request_body_len",
      "response_body_len",
      "status_code",
      "status_msg",
      "tags",
      "resp_fuids",
      "resp_mime_types",
    ],
    types: [
      ...TUPLE_T,
      "count",
      "string",
      "string",
      "string",
      "string",
      "string",
      "count",
      "count",
      "count",
      "string",
      "set[enum]",
      "vector[string]",
      "vector[string]",
    ],
    rows: [[
      ...tuple(2, "CHttp1"),
      1,
      "GET",
      "example.com",
      "/a b\\x09c",
      "1.1",
      "curl/8.0",
      0,
      5000,
      200,
      "OK",
      [],
      ["FHttp1"],
      ["text/html"],
    ]],
  },
  ssl: {
    fields: [
      ...TUPLE,
      "version",
      "cipher",
      "curve",
      "server_name",
      "resumed",
      "established",
      "cert_chain_fps",
      "client_cert_chain_fps",
      "subject",
      "issuer",
      "validation_status",
      "ja3",
      "ja3s",
      "is_DoH",
    ],
    types: [
      ...TUPLE_T,
      "string",
      "string",
      "string",
      "string",
      "bool",
      "bool",
      "vector[string]",
      "vector[string]",
      "string",
      "string",
      "string",
      "string",
      "string",
      "bool",
    ],
    rows: [[
      ...tuple(3, "CSsl1", "10.0.0.5", 50001, "198.51.100.8", 443),
      "TLSv12",
      "TLS_AES_128_GCM_SHA256",
      "x25519",
      "example.org",
      false,
      true,
      ["fp1", "fp2"],
      [],
      "CN=example.org",
      "CN=Fixture CA",
      "ok",
      "ja3hash",
      "ja3shash",
      false,
    ]],
  },
  x509: {
    fields: [
      "ts",
      "id",
      "certificate.version",
      "certificate.subject",
      "certificate.issuer",
      "certificate.not_valid_before",
      "certificate.not_valid_after",
      "san.dns",
    ],
    types: ["time", "string", "count", "string", "string", "time", "time", "vector[string]"],
    rows: [[
      (T0 + 3.5).toFixed(6),
      "FX5091",
      3,
      "CN=example.org",
      "CN=Fixture CA",
      "1577836800.000000",
      "1609459200.000000",
      ["example.org", "www.example.org"],
    ]],
  },
  ssh: {
    fields: [
      ...TUPLE,
      "version",
      "auth_success",
      "auth_attempts",
      "direction",
      "client",
      "server",
      "cipher_alg",
      "mac_alg",
      "compression_alg",
      "kex_alg",
      "host_key_alg",
      "host_key",
    ],
    types: [
      ...TUPLE_T,
      "count",
      "bool",
      "count",
      "enum",
      "string",
      "string",
      "string",
      "string",
      "string",
      "string",
      "string",
      "string",
    ],
    rows: [[
      ...tuple(4, "CSsh1", "10.0.0.5", 50002, "198.51.100.9", 22),
      2,
      null,
      3,
      "OUTBOUND",
      "SSH-2.0-OpenSSH_8.1",
      "SSH-2.0-OpenSSH_9.0",
      "aes128-ctr",
      "hmac-sha2-256",
      "none",
      "curve25519-sha256",
      "ssh-ed25519",
      "aa:bb",
    ]],
  },
  dhcp: {
    fields: [
      "ts",
      "uids",
      "client_addr",
      "server_addr",
      "mac",
      "host_name",
      "requested_addr",
      "assigned_addr",
      "msg_types",
    ],
    types: [
      "time",
      "set[string]",
      "addr",
      "addr",
      "string",
      "string",
      "addr",
      "addr",
      "vector[string]",
    ],
    rows: [[
      (T0 + 5).toFixed(6),
      ["CDhcp1", "CDhcp2"],
      "10.0.0.5",
      "10.0.0.1",
      "aa:bb:cc:00:00:01",
      "laptop",
      "10.0.0.5",
      "10.0.0.5",
      ["REQUEST", "ACK"],
    ]],
  },
  ftp: {
    fields: [
      ...TUPLE,
      "user",
      "command",
      "reply_code",
      "data_channel.passive",
      "data_channel.orig_h",
      "data_channel.resp_h",
      "data_channel.resp_p",
    ],
    types: [...TUPLE_T, "string", "string", "count", "bool", "addr", "addr", "port"],
    rows: [[
      ...tuple(6, "CFtp1", "10.0.0.5", 50003, "198.51.100.10", 21),
      "anonymous",
      "PASV",
      227,
      true,
      "10.0.0.5",
      "198.51.100.10",
      40123,
    ]],
  },
  smtp: {
    fields: [...TUPLE, "trans_depth", "helo", "mailfrom", "rcptto", "last_reply", "tls"],
    types: [...TUPLE_T, "count", "string", "string", "set[string]", "string", "bool"],
    rows: [[
      ...tuple(7, "CSmtp1", "10.0.0.5", 50004, "198.51.100.11", 25),
      1,
      "me",
      "a@example.org",
      ["b@example.org"],
      "535 5.7.8 authentication failed",
      false,
    ]],
  },
  tunnel: {
    fields: [...TUPLE, "tunnel_type", "action"],
    types: [...TUPLE_T, "enum", "enum"],
    rows: [[
      ...tuple(8, "CTun1", "10.0.0.5", 0, "198.51.100.12", 0),
      "Tunnel::GRE",
      "Tunnel::DISCOVER",
    ]],
  },
  notice: {
    fields: [
      ...TUPLE,
      "proto",
      "note",
      "msg",
      "sub",
      "src",
      "dst",
      "p",
      "n",
      "actions",
      "suppress_for",
    ],
    types: [
      ...TUPLE_T,
      "enum",
      "enum",
      "string",
      "string",
      "addr",
      "addr",
      "port",
      "count",
      "set[enum]",
      "interval",
    ],
    rows: [
      [
        (T0 + 9).toFixed(6),
        null,
        null,
        null,
        null,
        null,
        "tcp",
        "Scan::Port_Scan",
        "10.0.0.5 scanned 20 ports of 198.51.100.13",
        "remote",
        "10.0.0.5",
        "198.51.100.13",
        22,
        20,
        ["Notice::ACTION_LOG"],
        "3600.000000",
      ],
      [
        (T0 + 9.5).toFixed(6),
        null,
        null,
        null,
        null,
        null,
        null,
        "SSH::Password_Guessing",
        "10.0.0.5 appears to be guessing SSH passwords",
        "-",
        "10.0.0.5",
        null,
        null,
        30,
        ["Notice::ACTION_LOG"],
        "3600.000000",
      ],
    ],
  },
  files: {
    fields: [
      "ts",
      "fuid",
      "tx_hosts",
      "rx_hosts",
      "conn_uids",
      "source",
      "depth",
      "analyzers",
      "mime_type",
      "total_bytes",
      "md5",
      "sha1",
      "sha256",
    ],
    types: [
      "time",
      "string",
      "set[addr]",
      "set[addr]",
      "set[string]",
      "string",
      "count",
      "set[string]",
      "string",
      "count",
      "string",
      "string",
      "string",
    ],
    rows: [[
      (T0 + 10).toFixed(6),
      "FHttp1",
      ["198.51.100.7"],
      ["10.0.0.5"],
      ["CHttp1"],
      "HTTP",
      0,
      ["MD5", "SHA1"],
      "text/html",
      5000,
      "00112233445566778899aabbccddeeff",
      "0011223344556677889900112233445566778899",
      null,
    ]],
  },
  arp: {
    fields: ["ts", "operation", "src_mac", "dst_mac", "orig_h", "resp_h", "orig_hw", "resp_hw"],
    types: ["time", "string", "string", "string", "addr", "addr", "string", "string"],
    rows: [[
      (T0 + 11).toFixed(6),
      "request",
      "aa:bb:cc:00:00:01",
      "ff:ff:ff:ff:ff:ff",
      "10.0.0.5",
      "10.0.0.1",
      "aa:bb:cc:00:00:01",
      "00:00:00:00:00:00",
    ]],
  },
  software: {
    fields: [
      "ts",
      "host",
      "host_p",
      "software_type",
      "name",
      "version.major",
      "version.minor",
      "unparsed_version",
    ],
    types: ["time", "addr", "port", "enum", "string", "count", "count", "string"],
    rows: [[(T0 + 12).toFixed(6), "10.0.0.5", null, "SSH::CLIENT", "OpenSSH", 8, 1, "OpenSSH_8.1"]],
  },
  weird: {
    fields: [...TUPLE, "name", "addl", "notice", "peer"],
    types: [...TUPLE_T, "string", "string", "bool", "string"],
    rows: [[
      ...tuple(13, "CWeird1", "10.0.0.5", 50005, "198.51.100.14", 80),
      "bad_HTTP_request",
      "extra",
      false,
      "zeek",
    ]],
  },
  login: {
    fields: [...TUPLE, "proto", "success", "confused", "user", "client_user", "password"],
    types: [...TUPLE_T, "enum", "bool", "bool", "string", "string", "string"],
    rows: [[
      ...tuple(14, "CLogin1", "10.0.0.5", 50006, "198.51.100.15", 23),
      "tcp",
      false,
      false,
      "root",
      "root",
      "toor",
    ]],
  },
};

const enc = new TextEncoder();

function cat(...parts: (string | Uint8Array)[]): Uint8Array {
  const bufs = parts.map((p) => (typeof p === "string" ? enc.encode(p) : p));
  const out = new Uint8Array(bufs.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of bufs) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

/** Every fixture file: path relative to tests/fixtures/input → content. */
export function renderInputFixtures(): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const put = (p: string, c: string | Uint8Array) =>
    files.set(p, typeof c === "string" ? enc.encode(c) : c);

  // The five flows in every format.
  const conn = ZEEK_LOGS.conn;
  put("flows/zeek_tsv/conn.log", zeekTsv("conn", conn.fields, conn.types, conn.rows));
  put("flows/zeek_json/conn.log", zeekJson(conn.fields, conn.types, conn.rows));
  put("flows/argus.binetflow", argus(","));
  put("flows/argus_tab.binetflow", argus("\t"));
  put("flows/eve.jsonl", suricata());
  put("flows/nfdump.csv", nfdumpCsv());

  // Every supported log, TSV and JSON twins.
  for (const [name, spec] of Object.entries(ZEEK_LOGS)) {
    put(`alllogs/tsv/${name}.log`, zeekTsv(name, spec.fields, spec.types, spec.rows));
    put(`alllogs/json/${name}.log`, zeekJson(spec.fields, spec.types, spec.rows));
  }
  // Logs that are not analysed, and a custom field: notices, not warnings.
  put(
    "alllogs/tsv/stats.log",
    zeekTsv("stats", ["ts", "peer"], ["time", "string"], [[T0.toFixed(6), "zeek"]]),
  );
  put("alllogs/json/stats.log", '{"ts":1600000010.0,"peer":"zeek"}\n');
  put("alllogs/tsv/README.txt", "Not a log.\n");

  put("events/eve_events.jsonl", suricataEvents());

  // Labelled logs (the CTU style with label and detailedlabel columns).
  put(
    "labeled/conn.log.labeled",
    zeekTsv("conn", conn.fields, conn.types, conn.rows, {
      names: ["label", "detailedlabel"],
      values: FLOWS.map((_, i) =>
        i === 2
          ? ["Malicious", "From_malicious-To_benign-Scan"]
          : ["Benign", "From_benign-To_benign-Normal"]
      ),
    }),
  );

  // A rotated, compressed log next to the live one; a stray tab before the first header.
  const older = conn.rows.slice(0, 3);
  const newer = conn.rows.slice(3);
  put(
    "rotated/conn.12:00:00-13:00:00.log.gz",
    new Uint8Array(gzipSync(enc.encode(zeekTsv("conn", conn.fields, conn.types, older)))),
  );
  put("rotated/conn.log", "\t" + zeekTsv("conn", conn.fields, conn.types, newer, null, false));

  // Broken inputs.
  const header = TSV_PREAMBLE("conn") +
    `#fields\t${conn.fields.join("\t")}\n#types\t${CONN_TYPES.join("\t")}\n`;
  const good = conn.rows.map((r) => r.map(tsvCell).join("\t"));
  const truncated = good[1].split("\t").slice(0, 7).join("\t");
  const extra = good[1] + "\tsurplus";
  const notNumber = good[2].replace("\t0\t0\tS0", "\tzero\t0\tS0");
  put(
    "bad/conn_bad.log",
    cat(
      header,
      good[0] + "\n",
      truncated + "\n",
      extra + "\n",
      good[1].replace("SF", "S") + "\n",
      enc.encode(good[3].slice(0, 30)),
      new Uint8Array([0xff, 0xfe]),
      good[3].slice(30) + "\n",
      notNumber + "\n",
      "not-a-time" + good[4].slice(good[4].indexOf("\t")) + "\n",
      good[4] + "\n",
    ),
  );
  const json = zeekJson(conn.fields, conn.types, conn.rows).trim().split("\n");
  put(
    "bad/conn_bad.json.log",
    cat(
      json[0] + "\n",
      json[1].slice(0, 40) + "\n",
      "[1,2,3]\n",
      json[2].replace('"orig_bytes":0', '"orig_bytes":"zero"') + "\n",
      enc.encode(json[3].slice(0, 20)),
      new Uint8Array([0xc3, 0x28]),
      json[3].slice(20) + "\n",
      json[4] + "\n",
    ),
  );
  put("bad/no_header.log", good.join("\n") + "\n");
  put("bad/empty.log", "");
  put("bad/nologs_dir/notes.txt", "This directory holds no Zeek log.\n");
  put("bad/not_a_log.txt", "Dear reader,\nthis is a letter, not a flow log.\nRegards\n");
  put(
    "bad/binary.bin",
    new Uint8Array([0x00, 0x01, 0x02, 0x03, 0x10, 0x00, 0x7f, 0x80, 0x00, 0x42]),
  );
  const argusRows = argus(",").trim().split("\n");
  put(
    "bad/argus_bad.binetflow",
    [
      argusRows[0],
      argusRows[1],
      argusRows[2].split(",").slice(0, 9).join(","),
      argusRows[2].replace(/^[^,]+/, "yesterday"),
      argusRows[5].replace(",64,", ",sixty-four,"),
      argusRows[6],
    ].join("\n") + "\n",
  );
  const eve = suricata().trim().split("\n");
  put(
    "bad/eve_bad.jsonl",
    [
      eve[0],
      eve[1].replace(/"timestamp":"[^"]+"/, '"timestamp":"0000-99-99T99:99:99"'),
      "{not json",
      eve[2],
    ]
      .join("\n") + "\n",
  );
  const nf = nfdumpCsv().trim().split("\n");
  put(
    "bad/nfdump_bad.csv",
    [nf[0], nf[1], "2020-09-13 12:26:41.000,short,row", nf[2], "Summary"].join("\n") + "\n",
  );
  return files;
}

export const FIXTURE_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "tests",
  "fixtures",
  "input",
);

if (import.meta.main) {
  await Deno.remove(FIXTURE_DIR, { recursive: true }).catch(() => {});
  for (const [rel, content] of renderInputFixtures()) {
    const p = join(FIXTURE_DIR, rel);
    await Deno.mkdir(dirname(p), { recursive: true });
    await Deno.writeFile(p, content);
  }
  console.log(`wrote ${renderInputFixtures().size} files under ${FIXTURE_DIR}`);
}
