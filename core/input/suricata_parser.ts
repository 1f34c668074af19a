/**
 * Suricata eve.json lines → records (pipeline.md §2.2). Event types flow, dns, http, tls,
 * fileinfo, ssh, alert and anomaly are read; others earn one notice each and are skipped.
 */
import type {
  ConnRecord,
  DnsRecord,
  FilesRecord,
  FlowRecord,
  HttpRecord,
  IdsAlertRecord,
  SshRecord,
  SslRecord,
} from "../records/records.ts";
import { suricataState } from "../records/state.ts";
import type { LineParser, ParseContext } from "./parse_context.ts";
import { parseDateTime } from "./timestamps.ts";
import { generatedUid } from "./uid.ts";

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {};
}

function str(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return "";
}

/** A number field; `bad` collects the name of the first field that is present but not numeric. */
class Num {
  bad = "";
  get(o: Obj, key: string, fallback = 0): number {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    if (this.bad === "") this.bad = key;
    return fallback;
  }
}

/**
 * flow_id is a 64-bit integer that JSON.parse would round; it is copied from the text instead.
 */
function flowIdText(line: string, parsed: unknown): string {
  const i = line.indexOf('"flow_id":');
  if (i >= 0) {
    let j = i + 10;
    while (line.charCodeAt(j) === 32) j++;
    let k = j;
    while (k < line.length && line.charCodeAt(k) >= 48 && line.charCodeAt(k) <= 57) k++;
    if (k > j) return line.slice(j, k);
  }
  return str(parsed);
}

const KNOWN_EVENTS = new Set(["flow", "dns", "http", "tls", "fileinfo", "ssh", "alert", "anomaly"]);

export class SuricataParser implements LineParser {
  ended = false;
  #num = new Num();

  constructor(readonly ctx: ParseContext) {}

  parse(line: string, lineNo: number, out: FlowRecord[]): void {
    const t = line.trim();
    if (t === "" || t.charCodeAt(0) === 35 /* # */) return;
    if (t.indexOf("\uFFFD") >= 0) {
      this.ctx.badLine(lineNo, "the line holds bytes that are not valid UTF-8; it was skipped.");
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      this.ctx.badLine(
        lineNo,
        "expected one eve.json event (a JSON object) per line, but the line is not valid JSON; it was skipped.",
      );
      return;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      this.ctx.badLine(lineNo, "expected an eve.json event (a JSON object); the line was skipped.");
      return;
    }
    const e = parsed as Obj;
    const type = str(e.event_type);
    if (!KNOWN_EVENTS.has(type)) {
      this.ctx.noticeOnce(
        `suricata-event:${type}`,
        type === ""
          ? `${this.ctx.file}: events without an event_type are skipped.`
          : `Suricata "${type}" events are not analysed; they are skipped.`,
      );
      return;
    }
    const stamp = str(e.timestamp);
    const ts = parseDateTime(stamp);
    if (Number.isNaN(ts)) {
      this.ctx.badLine(
        lineNo,
        `expected an ISO 8601 timestamp in "timestamp", found "${stamp}"; the line was skipped.`,
      );
      return;
    }
    const n = this.#num;
    n.bad = "";
    const rec = this.#map(type, e, ts, flowIdText(t, e.flow_id));
    if (rec === null) return;
    if (n.bad !== "") {
      this.ctx.badLine(lineNo, `expected a number in the ${n.bad} field; the line was skipped.`);
      return;
    }
    if (Number.isNaN(rec.ts)) {
      this.ctx.badLine(lineNo, "expected an ISO 8601 time in flow.start; the line was skipped.");
      return;
    }
    this.ctx.stats.records++;
    out.push(rec);
  }

  #base(e: Obj, ts: number, uid: string) {
    const n = this.#num;
    return {
      uid: uid || generatedUid("S"),
      ts,
      saddr: str(e.src_ip),
      daddr: str(e.dest_ip),
      // ICMP events have no ports.
      sport: n.get(e, "src_port"),
      dport: n.get(e, "dest_port"),
      proto: str(e.proto).toLowerCase(),
      source: "suricata" as const,
      label: "",
      detailedLabel: "",
    };
  }

  #map(type: string, e: Obj, ts: number, uid: string): FlowRecord | null {
    switch (type) {
      case "flow":
        return this.#flow(e, ts, uid);
      case "dns":
        return this.#dns(e, ts, uid);
      case "http":
        return this.#http(e, ts, uid);
      case "tls":
        return this.#tls(e, ts, uid);
      case "fileinfo":
        return this.#fileinfo(e, ts, uid);
      case "ssh":
        return this.#ssh(e, ts, uid);
      case "alert":
        return this.#alert(e, ts, uid);
      case "anomaly":
        return this.#anomaly(e, ts, uid);
    }
    return null;
  }

  #flow(e: Obj, ts: number, uid: string): ConnRecord {
    const n = this.#num;
    const f = obj(e.flow);
    const startText = str(f.start);
    const endText = str(f.end);
    // A flow event is written when the flow ends; its start is the flow's time.
    const start = startText === "" ? ts : parseDateTime(startText);
    const end = endText === "" ? start : parseDateTime(endText);
    const state = str(f.state);
    const app = str(e.app_proto);
    const ether = obj(e.ether);
    return {
      kind: "conn",
      ...this.#base(e, start, uid),
      appproto: app === "failed" ? "" : app,
      dur: Number.isNaN(end) ? 0 : Math.max(0, end - start),
      sbytes: n.get(f, "bytes_toserver"),
      dbytes: n.get(f, "bytes_toclient"),
      spkts: n.get(f, "pkts_toserver"),
      dpkts: n.get(f, "pkts_toclient"),
      sipBytes: 0,
      dipBytes: 0,
      state,
      interpreted: suricataState(state),
      history: "",
      smac: str(ether.src_mac),
      dmac: str(ether.dest_mac),
      icmpType: n.get(e, "icmp_type", -1),
      icmpCode: n.get(e, "icmp_code", -1),
    };
  }

  #dns(e: Obj, ts: number, uid: string): DnsRecord {
    const n = this.#num;
    const d = obj(e.dns);
    const q0 = Array.isArray(d.queries) ? obj(d.queries[0]) : {};
    const answers: string[] = [];
    const ttls: number[] = [];
    if (Array.isArray(d.answers)) {
      for (const a of d.answers) {
        const ao = obj(a);
        const rdata = str(ao.rdata);
        if (rdata !== "") answers.push(prefixed(str(ao.rrtype), rdata));
        if (ao.ttl !== undefined) ttls.push(n.get(ao, "ttl"));
      }
    } else if (d.grouped !== undefined) {
      for (const [rrtype, values] of Object.entries(obj(d.grouped))) {
        if (!Array.isArray(values)) continue;
        for (const v of values) {
          const text = typeof v === "string" ? v : str(obj(v).rdata) || JSON.stringify(v);
          answers.push(prefixed(rrtype, text));
        }
      }
    } else if (str(d.type) === "answer" && d.rdata !== undefined) {
      answers.push(prefixed(str(d.rrtype), str(d.rdata)));
      if (d.ttl !== undefined) ttls.push(n.get(d, "ttl"));
    }
    return {
      kind: "dns",
      ...this.#base(e, ts, uid),
      query: str(d.rrname) || str(q0.rrname),
      qclass: "",
      qtype: str(d.rrtype) || str(q0.rrtype),
      rcode: str(d.rcode),
      answers,
      ttls,
    };
  }

  #http(e: Obj, ts: number, uid: string): HttpRecord {
    const n = this.#num;
    const h = obj(e.http);
    const ctype = str(h.http_content_type);
    return {
      kind: "http",
      ...this.#base(e, ts, uid),
      method: str(h.http_method),
      host: str(h.hostname),
      uri: str(h.url),
      version: str(h.protocol).replace(/^HTTP\//i, ""),
      userAgent: str(h.http_user_agent),
      requestBodyLen: n.get(h, "request_body_len"),
      responseBodyLen: n.get(h, "length"),
      statusCode: n.get(h, "status"),
      statusMsg: "",
      respMimeTypes: ctype === "" ? [] : [ctype],
      respFuids: [],
    };
  }

  #tls(e: Obj, ts: number, uid: string): SslRecord {
    const t = obj(e.tls);
    const fp = str(t.fingerprint);
    const notBefore = str(t.notbefore);
    const notAfter = str(t.notafter);
    const nb = notBefore === "" ? 0 : parseDateTime(notBefore);
    const na = notAfter === "" ? 0 : parseDateTime(notAfter);
    return {
      kind: "ssl",
      ...this.#base(e, ts, uid),
      version: str(t.version),
      cipher: "",
      resumed: t.session_resumed === true,
      // Suricata logs a tls event once the handshake was seen.
      established: true,
      certChainFps: fp === "" ? [] : [fp],
      clientCertChainFps: [],
      subject: str(t.subject),
      issuer: str(t.issuerdn),
      serverName: str(t.sni),
      validationStatus: "",
      curve: "",
      ja3: str(obj(t.ja3).hash),
      ja3s: str(obj(t.ja3s).hash),
      isDoH: false,
      notValidBefore: Number.isNaN(nb) ? 0 : nb,
      notValidAfter: Number.isNaN(na) ? 0 : na,
    };
  }

  #fileinfo(e: Obj, ts: number, uid: string): FilesRecord {
    const n = this.#num;
    const f = obj(e.fileinfo);
    const b = this.#base(e, ts, uid);
    const mime = str(f.mimetype) || str(obj(e.http).http_content_type);
    return {
      kind: "files",
      ...b,
      // fileinfo events point from the sender of the file to its receiver.
      txHosts: b.saddr === "" ? [] : [b.saddr],
      rxHosts: b.daddr === "" ? [] : [b.daddr],
      fileSource: str(e.app_proto).toUpperCase(),
      analyzers: [],
      mimeType: mime,
      md5: str(f.md5),
      sha1: str(f.sha1),
      sha256: str(f.sha256),
      size: n.get(f, "size"),
    };
  }

  #ssh(e: Obj, ts: number, uid: string): SshRecord {
    const s = obj(e.ssh);
    const client = obj(s.client);
    const server = obj(s.server);
    const v = Number(str(client.proto_version) || str(server.proto_version));
    return {
      kind: "ssh",
      ...this.#base(e, ts, uid),
      version: Number.isFinite(v) ? v : 0,
      authSuccess: null,
      authAttempts: 0,
      client: str(client.software_version),
      server: str(server.software_version),
      cipherAlg: "",
      macAlg: "",
      compressionAlg: "",
      kexAlg: "",
      hostKeyAlg: "",
      hostKey: "",
    };
  }

  #alert(e: Obj, ts: number, uid: string): IdsAlertRecord {
    const n = this.#num;
    const a = obj(e.alert);
    return {
      kind: "ids_alert",
      ...this.#base(e, ts, uid),
      signature: str(a.signature),
      signatureId: n.get(a, "signature_id"),
      category: str(a.category),
      severity: n.get(a, "severity"),
    };
  }

  #anomaly(e: Obj, ts: number, uid: string): IdsAlertRecord {
    const a = obj(e.anomaly);
    return {
      kind: "ids_alert",
      ...this.#base(e, ts, uid),
      signature: str(a.event) || str(a.type),
      signatureId: 0,
      category: `anomaly:${str(a.type)}`,
      // Anomalies carry no severity; 3 is Suricata's lowest.
      severity: 3,
    };
  }
}

/** Zeek writes TXT answers with their type in front (`TXT …`); the rest are plain values. */
function prefixed(rrtype: string, rdata: string): string {
  return rrtype === "TXT" ? `TXT ${rdata}` : rdata;
}
