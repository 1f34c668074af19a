import {
  type ChannelMessage,
  type CoreChannel,
  type EvidenceInput,
  type HttpRecord,
  loadMacVendors,
  type MacVendorTable,
  Module,
  parseUserAgent,
  type Profiled,
  type UserAgentInfo,
} from "@slips/core";
import { forgetOldest } from "@slips/core";
import {
  describeAgent,
  incompatibility,
  isDifferentUserAgent,
  isSuspiciousUserAgent,
} from "./user_agent_checks.ts";
import { EmptyConnections, isEmptyRequest, searchHost } from "./empty_connections.ts";
import { executableMimeTypes } from "./executable_mime.ts";
import { isPastebinDownload } from "./pastebin_download.ts";
import { isWeirdHttpMethod, type JoinedWeird, WeirdConnJoin } from "./weird_http_method.ts";
import { HostMacs } from "./host_macs.ts";
import { WindowKeys } from "./window_keys.ts";

const MAX_FIRST_AGENTS = 100_000;
const MAX_URL_IN_TEXT = 120;

/** Long query strings make descriptions unreadable; the uid leads to the full request. */
function shortUrl(url: string): string {
  return url.length <= MAX_URL_IN_TEXT ? url : `${url.slice(0, MAX_URL_IN_TEXT)}…`;
}

/** Detections on cleartext HTTP: user agents, downloads, empty probes, odd methods. */
export default class HttpAnalyzer extends Module {
  readonly name = "http_analyzer";
  readonly description =
    "Detects suspicious HTTP: user agents, executables, empty probes, weird methods.";
  readonly authors = ["Slips for Deno developers"];
  override readonly channels: readonly CoreChannel[] = [
    "new_http",
    "new_weird",
    "new_flow",
    "new_dhcp",
    "new_arp",
    "new_MAC",
    "tw_closed",
  ];

  #pastebinThreshold = 700;
  #empty = new EmptyConnections();
  #weird = new WeirdConnJoin();
  #macs = new HostMacs();
  #vendors?: MacVendorTable;
  /** The first user agent of each profile: Slips' "cached" UA that later ones are compared with. */
  #firstAgents = new Map<string, { ua: string; info: UserAgentInfo }>();
  /** One HTTP_TRAFFIC per (profile, window); one UA evidence per (profile, window, UA). */
  #traffic = new WindowKeys();
  #multiple = new WindowKeys();
  #incompatible = new WindowKeys();

  override init(): void {
    this.#pastebinThreshold = this.config.number("pastebin_download_threshold", 700, "flow_alerts");
  }

  // Only HTTP records may wait (for the vendor table, once); flows return without a promise.
  main(message: ChannelMessage): void | Promise<void> {
    switch (message.channel) {
      case "new_http":
        return this.#http(message.data);
      case "new_weird": {
        if (!isWeirdHttpMethod(message.data)) return;
        const joined = this.#weird.addWeird(message.data);
        if (joined) this.#weirdMethod(joined);
        return;
      }
      case "new_flow": {
        const f = message.data;
        if (f.smac !== "") this.#macs.learn(f.saddr, f.smac);
        const joined = this.#weird.addConn(f);
        if (joined) this.#weirdMethod(joined);
        return;
      }
      case "new_dhcp":
        this.#macs.learn(message.data.clientAddr || message.data.saddr, message.data.mac);
        return;
      case "new_arp":
        this.#macs.learn(message.data.saddr, message.data.smac || message.data.srcHw);
        return;
      case "new_MAC":
        this.#macs.learn(message.data.ip, message.data.mac);
        return;
      case "tw_closed": {
        const { profileid, twid } = message.data;
        this.#empty.close(profileid, twid);
        this.#traffic.close(profileid, twid);
        this.#multiple.close(profileid, twid);
        this.#incompatible.close(profileid, twid);
        return;
      }
    }
  }

  override shutdownGracefully(): void {
    if (this.#weird.unmatched > 0) {
      this.print(
        `${this.#weird.unmatched} unknown-HTTP-method weird records had no connection with the same uid and were not reported.`,
        2,
      );
    }
  }

  #evidence(
    r: Profiled<HttpRecord>,
    e: Omit<EvidenceInput, "profileIp" | "twid" | "ts" | "uids"> & { profileIp?: string },
  ): void {
    this.setEvidence({
      profileIp: r.saddr,
      twid: r.twid,
      ts: r.ts,
      uids: [r.uid],
      proto: "tcp",
      dstPort: r.dport || undefined,
      ...e,
    });
  }

  async #http(r: Profiled<HttpRecord>): Promise<void> {
    const src = { direction: "SRC", iocType: "IP", value: r.saddr } as const;
    const dst = { direction: "DST", iocType: "IP", value: r.daddr } as const;
    const url = shortUrl(`${r.host}${r.uri}`);

    // HTTP_TRAFFIC: a host using cleartext HTTP, reported once per (profile, window): the fact is
    // the same for its 2nd and 200th server, and per-request reports were Slips' worst flood.
    if (this.#traffic.add(r.profileid, r.twid, "")) {
      this.#evidence(r, {
        evidenceType: "HTTP_TRAFFIC",
        attacker: src,
        victim: dst,
        threatLevel: "info",
        confidence: 1,
        description: `Unencrypted HTTP traffic from ${r.saddr}, first to ${r.daddr}${
          r.host ? ` (${r.host})` : ""
        } in this time window.`,
      });
    }

    const ua = r.userAgent.trim();
    if (ua !== "" && ua !== "-") await this.#userAgent(r, ua, url);

    const host = searchHost(r.host);
    if (host !== undefined && isEmptyRequest(r)) {
      const uids = this.#empty.add(r.profileid, r.twid, host, r.uid);
      if (uids) {
        this.setEvidence({
          evidenceType: "EMPTY_CONNECTIONS",
          attacker: src,
          threatLevel: "medium",
          confidence: 1,
          profileIp: r.saddr,
          twid: r.twid,
          ts: r.ts,
          description:
            `${r.saddr} made ${uids.length} empty requests to ${host}, a check for internet access typical of malware.`,
          uids,
        });
      }
    }

    const mimes = executableMimeTypes(r.respMimeTypes);
    if (mimes.length > 0) {
      const a = crypto.randomUUID();
      const b = crypto.randomUUID();
      const what = `Download of an executable (MIME type ${
        mimes.join(", ")
      }) by ${r.saddr} from ${r.daddr}${r.host ? ` (${url})` : ""}.`;
      this.#evidence(r, {
        id: a,
        relIds: [b],
        evidenceType: "EXECUTABLE_MIME_TYPE",
        attacker: src,
        victim: dst,
        threatLevel: "low",
        confidence: 1,
        description: what,
      });
      this.#evidence(r, {
        id: b,
        relIds: [a],
        evidenceType: "EXECUTABLE_MIME_TYPE",
        attacker: dst,
        victim: src,
        threatLevel: "low",
        confidence: 1,
        description: what,
        // The server's half is filed under the server's profile.
        profileIp: r.daddr,
      });
    }

    if (isPastebinDownload(r, this.#pastebinThreshold)) {
      this.#evidence(r, {
        evidenceType: "PASTEBIN_DOWNLOAD",
        attacker: src,
        victim: dst,
        threatLevel: "info",
        confidence: 1,
        description: `${r.saddr} downloaded ${
          (r.responseBodyLen / 1e6).toFixed(3)
        } MB from ${r.host} (pastebin) over HTTP.`,
      });
    }
  }

  async #userAgent(r: Profiled<HttpRecord>, ua: string, url: string): Promise<void> {
    const src = { direction: "SRC", iocType: "IP", value: r.saddr } as const;

    if (isSuspiciousUserAgent(ua)) {
      this.#evidence(r, {
        evidenceType: "SUSPICIOUS_USER_AGENT",
        attacker: src,
        threatLevel: "high",
        confidence: 1,
        description: `Suspicious user agent "${ua}" used by ${r.saddr} to request ${url}.`,
      });
    }

    const info = parseUserAgent(ua);
    const first = this.#firstAgents.get(r.profileid);
    if (!first) {
      // The reference is the first UA that names its OS; until one does there is nothing to compare.
      if (info.osType !== "") this.#rememberFirstAgent(r.profileid, ua, info);
    } else if (
      isDifferentUserAgent(first, ua, info) && this.#multiple.add(r.profileid, r.twid, ua)
    ) {
      this.#evidence(r, {
        evidenceType: "MULTIPLE_USER_AGENT",
        attacker: src,
        threatLevel: "info",
        confidence: 1,
        description: `${r.saddr} uses more than one user agent: first "${first.ua}" (${
          describeAgent(first.info)
        }), now "${ua}" (${describeAgent(info)}).`,
      });
    }

    const mac = this.#macs.get(r.saddr);
    if (mac === undefined || this.#incompatible.has(r.profileid, r.twid, ua)) return;
    this.#vendors ??= await loadMacVendors((m) => this.print(m, 0, 1));
    const vendor = this.#vendors.lookup(mac);
    if (vendor === undefined) return;
    const why = incompatibility(info, vendor);
    if (why === undefined) return;
    this.#incompatible.add(r.profileid, r.twid, ua);
    this.#evidence(r, {
      evidenceType: "INCOMPATIBLE_USER_AGENT",
      attacker: src,
      threatLevel: "high",
      confidence: 1,
      description: `Incompatible user agent "${ua}" (${
        describeAgent(info)
      }) from ${r.saddr}, whose MAC ${mac} is made by ${vendor}: ${why}. Request to ${url}.`,
    });
  }

  #rememberFirstAgent(profileid: string, ua: string, info: UserAgentInfo): void {
    if (this.#firstAgents.size >= MAX_FIRST_AGENTS) {
      forgetOldest(this.#firstAgents);
    }
    this.#firstAgents.set(profileid, { ua, info });
  }

  #weirdMethod({ weird, conn }: JoinedWeird): void {
    this.setEvidence({
      evidenceType: "WEIRD_HTTP_METHOD",
      attacker: { direction: "SRC", iocType: "IP", value: conn.saddr },
      victim: { direction: "DST", iocType: "IP", value: conn.daddr },
      threatLevel: "medium",
      confidence: 0.9,
      profileIp: conn.saddr,
      twid: weird.twid,
      ts: weird.ts,
      description:
        `Weird HTTP method "${weird.addl}" used by ${conn.saddr} to ${conn.daddr}, detected by Zeek.`,
      uids: [weird.uid],
      proto: "tcp",
      dstPort: conn.dport || undefined,
    });
  }
}
