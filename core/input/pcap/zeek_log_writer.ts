/**
 * Writes records as Zeek TSV logs (conn.log, dns.log, http.log, …) with the usual #separator,
 * #fields and #types headers, so that the packet engine's output can be kept, inspected with
 * zeek-cut, or read back by any Zeek log reader.
 */
import type { FlowRecord } from "../../records/records.ts";

type Cell = string | number | boolean | null | string[] | number[];

interface LogSpec {
  fields: string[];
  types: string[];
  row(r: FlowRecord): Cell[];
}

const ID_FIELDS = ["id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p"];
const ID_TYPES = ["addr", "port", "addr", "port"];

function id(r: FlowRecord): Cell[] {
  return [r.saddr, r.sport, r.daddr, r.dport];
}

/** Zeek leaves duration and byte counts unset ("-") for connections of zero length. */
function timed(dur: number, v: number): Cell {
  return dur > 0 ? v : null;
}

const SPECS: Partial<Record<FlowRecord["kind"], LogSpec>> = {
  conn: {
    fields: [
      "ts",
      "uid",
      ...ID_FIELDS,
      "proto",
      "service",
      "duration",
      "orig_bytes",
      "resp_bytes",
      "conn_state",
      "missed_bytes",
      "history",
      "orig_pkts",
      "orig_ip_bytes",
      "resp_pkts",
      "resp_ip_bytes",
      "orig_l2_addr",
      "resp_l2_addr",
    ],
    types: [
      "time",
      "string",
      ...ID_TYPES,
      "enum",
      "string",
      "interval",
      "count",
      "count",
      "string",
      "count",
      "string",
      "count",
      "count",
      "count",
      "count",
      "string",
      "string",
    ],
    row: (r) => {
      if (r.kind !== "conn") return [];
      return [
        r.ts,
        r.uid,
        ...id(r),
        r.proto,
        r.appproto,
        r.dur > 0 ? r.dur : null,
        timed(r.dur, r.sbytes),
        timed(r.dur, r.dbytes),
        r.state,
        0,
        r.history,
        r.spkts,
        r.sipBytes,
        r.dpkts,
        r.dipBytes,
        r.smac,
        r.dmac,
      ];
    },
  },
  dns: {
    fields: [
      "ts",
      "uid",
      ...ID_FIELDS,
      "proto",
      "query",
      "qclass_name",
      "qtype_name",
      "rcode_name",
      "answers",
      "TTLs",
    ],
    types: [
      "time",
      "string",
      ...ID_TYPES,
      "enum",
      "string",
      "string",
      "string",
      "string",
      "vector[string]",
      "vector[interval]",
    ],
    row: (r) =>
      r.kind !== "dns"
        ? []
        : [r.ts, r.uid, ...id(r), r.proto, r.query, r.qclass, r.qtype, r.rcode, r.answers, r.ttls],
  },
  http: {
    fields: [
      "ts",
      "uid",
      ...ID_FIELDS,
      "method",
      "host",
      "uri",
      "version",
      "user_agent",
      "request_body_len",
      "response_body_len",
      "status_code",
      "status_msg",
      "resp_fuids",
      "resp_mime_types",
      "resp_md5",
      "resp_sha1",
    ],
    types: [
      "time",
      "string",
      ...ID_TYPES,
      "string",
      "string",
      "string",
      "string",
      "string",
      "count",
      "count",
      "count",
      "string",
      "vector[string]",
      "vector[string]",
      "string",
      "string",
    ],
    row: (r) =>
      r.kind !== "http" ? [] : [
        r.ts,
        r.uid,
        ...id(r),
        r.method,
        r.host,
        r.uri,
        r.version,
        r.userAgent,
        r.requestBodyLen,
        r.responseBodyLen,
        r.statusCode > 0 ? r.statusCode : null,
        r.statusMsg,
        r.respFuids,
        r.respMimeTypes,
        r.respMd5 ?? "",
        r.respSha1 ?? "",
      ],
  },
  ssl: {
    fields: [
      "ts",
      "uid",
      ...ID_FIELDS,
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
      "time",
      "string",
      ...ID_TYPES,
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
    row: (r) =>
      r.kind !== "ssl" ? [] : [
        r.ts,
        r.uid,
        ...id(r),
        r.version,
        r.cipher,
        r.curve,
        r.serverName,
        r.resumed,
        r.established,
        r.certChainFps,
        r.clientCertChainFps,
        r.subject,
        r.issuer,
        r.validationStatus,
        r.ja3,
        r.ja3s,
        r.isDoH,
      ],
  },
  x509: {
    fields: [
      "ts",
      "id",
      "fingerprint",
      "certificate.subject",
      "certificate.issuer",
      "certificate.not_valid_before",
      "certificate.not_valid_after",
      "san.dns",
    ],
    types: ["time", "string", "string", "string", "string", "time", "time", "vector[string]"],
    row: (r) =>
      r.kind !== "x509" ? [] : [
        r.ts,
        r.uid,
        r.fingerprint,
        r.subject,
        r.issuer,
        r.notValidBefore,
        r.notValidAfter,
        r.sanDns,
      ],
  },
  ssh: {
    fields: [
      "ts",
      "uid",
      ...ID_FIELDS,
      "version",
      "auth_success",
      "auth_attempts",
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
      "time",
      "string",
      ...ID_TYPES,
      "count",
      "bool",
      "count",
      "string",
      "string",
      "string",
      "string",
      "string",
      "string",
      "string",
      "string",
    ],
    row: (r) =>
      r.kind !== "ssh" ? [] : [
        r.ts,
        r.uid,
        ...id(r),
        r.version,
        r.authSuccess,
        r.authAttempts,
        r.client,
        r.server,
        r.cipherAlg,
        r.macAlg,
        r.compressionAlg,
        r.kexAlg,
        r.hostKeyAlg,
        r.hostKey,
      ],
  },
  dhcp: {
    fields: ["ts", "uids", "client_addr", "server_addr", "mac", "host_name", "requested_addr"],
    types: ["time", "set[string]", "addr", "addr", "string", "string", "addr"],
    row: (r) =>
      r.kind !== "dhcp"
        ? []
        : [r.ts, r.uids, r.clientAddr, r.serverAddr, r.mac, r.hostName, r.requestedAddr],
  },
  smtp: {
    fields: ["ts", "uid", ...ID_FIELDS, "last_reply"],
    types: ["time", "string", ...ID_TYPES, "string"],
    row: (r) => r.kind !== "smtp" ? [] : [r.ts, r.uid, ...id(r), r.lastReply],
  },
  files: {
    fields: [
      "ts",
      "fuid",
      "tx_hosts",
      "rx_hosts",
      "source",
      "analyzers",
      "mime_type",
      "md5",
      "sha1",
      "sha256",
      "total_bytes",
    ],
    types: [
      "time",
      "string",
      "set[addr]",
      "set[addr]",
      "string",
      "set[string]",
      "string",
      "string",
      "string",
      "string",
      "count",
    ],
    row: (r) =>
      r.kind !== "files" ? [] : [
        r.ts,
        r.uid,
        r.txHosts,
        r.rxHosts,
        r.fileSource,
        r.analyzers,
        r.mimeType,
        r.md5,
        r.sha1,
        r.sha256,
        r.size,
      ],
  },
  arp: {
    fields: ["ts", "operation", "src_mac", "dst_mac", "orig_h", "resp_h", "orig_hw", "resp_hw"],
    types: ["time", "string", "string", "string", "addr", "addr", "string", "string"],
    row: (r) =>
      r.kind !== "arp"
        ? []
        : [r.ts, r.operation, r.smac, r.dmac, r.saddr, r.daddr, r.srcHw, r.dstHw],
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
    row: (r) =>
      r.kind !== "software" ? [] : [
        r.ts,
        r.saddr,
        r.sport > 0 ? r.sport : null,
        r.softwareType,
        r.name,
        r.versionMajor,
        r.versionMinor,
        r.unparsedVersion,
      ],
  },
  tunnel: {
    fields: ["ts", "uid", ...ID_FIELDS, "tunnel_type", "action"],
    types: ["time", "string", ...ID_TYPES, "enum", "enum"],
    row: (r) => r.kind !== "tunnel" ? [] : [r.ts, r.uid, ...id(r), r.tunnelType, r.action],
  },
};

/** Escapes a string for a Zeek TSV field: separators, backslashes, controls as \xHH. */
export function escapeField(s: string, inSet: boolean): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x5c || (inSet && c === 0x2c)) {
      out += `\\x${c.toString(16).padStart(2, "0")}`;
    } else {
      out += s[i];
    }
  }
  return out;
}

function cell(v: Cell): string {
  if (v === null) return "-";
  if (typeof v === "boolean") return v ? "T" : "F";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return "-";
    return Number.isInteger(v) ? String(v) : v.toFixed(6);
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return "-";
    return v.map((x) =>
      typeof x === "number"
        ? (Number.isInteger(x) ? `${x}.000000` : x.toFixed(6))
        : escapeField(x, true)
    ).join(",");
  }
  if (v === "") return "-";
  if (v === "-") return "\\x2d";
  return escapeField(v, false);
}

function timeCell(v: Cell): string {
  return typeof v === "number" ? v.toFixed(6) : cell(v);
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${
    p(d.getUTCHours())
  }-${p(d.getUTCMinutes())}-${p(d.getUTCSeconds())}`;
}

export class ZeekLogWriter {
  #dir: string;
  #files = new Map<string, Deno.FsFile>();
  #enc = new TextEncoder();
  #closed = false;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Creates the directory; throws a sentence the user can act on when that fails. */
  async open(): Promise<void> {
    try {
      await Deno.mkdir(this.#dir, { recursive: true });
    } catch (e) {
      throw new Error(
        `Cannot create the Zeek log directory ${this.#dir}: ${(e as Error).message}.`,
      );
    }
  }

  async write(records: FlowRecord[]): Promise<void> {
    if (this.#closed) return;
    const lines = new Map<string, string[]>();
    for (const r of records) {
      const spec = SPECS[r.kind];
      if (spec === undefined) continue;
      const row = spec.row(r);
      const text = row.map((v, i) => spec.types[i] === "time" ? timeCell(v) : cell(v)).join("\t");
      let list = lines.get(r.kind);
      if (list === undefined) {
        list = [];
        lines.set(r.kind, list);
      }
      list.push(text);
    }
    for (const [kind, list] of lines) {
      const f = await this.#file(kind);
      await writeAll(f, this.#enc.encode(list.join("\n") + "\n"));
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const end = this.#enc.encode(`#close\t${stamp(new Date())}\n`);
    for (const f of this.#files.values()) {
      await writeAll(f, end);
      f.close();
    }
    this.#files.clear();
  }

  async #file(kind: string): Promise<Deno.FsFile> {
    let f = this.#files.get(kind);
    if (f !== undefined) return f;
    const spec = SPECS[kind as FlowRecord["kind"]]!;
    f = await Deno.open(`${this.#dir}/${kind}.log`, { write: true, create: true, truncate: true });
    this.#files.set(kind, f);
    const header = [
      "#separator \\x09",
      "#set_separator\t,",
      "#empty_field\t(empty)",
      "#unset_field\t-",
      `#path\t${kind}`,
      `#open\t${stamp(new Date())}`,
      `#fields\t${spec.fields.join("\t")}`,
      `#types\t${spec.types.join("\t")}`,
    ].join("\n") + "\n";
    await writeAll(f, this.#enc.encode(header));
    return f;
  }
}

async function writeAll(f: Deno.FsFile, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await f.write(data.subarray(off));
}
