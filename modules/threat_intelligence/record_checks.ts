/**
 * The lookups made for each kind of record, as pure functions of the record and the IoC store.
 * Each returns findings: the evidence to raise and the key it is deduplicated under in the
 * record's (profile, window).
 */
import {
  type ConnRecord,
  type DnsRecord,
  type EvidenceInput,
  type FilesRecord,
  type HttpRecord,
  ipRange,
  isIp,
  type Profiled,
  type SslRecord,
} from "@slips/core";
import type { IocStore } from "./ioc_store.ts";
import { urlKey } from "./ioc_kind.ts";
import { fromBlacklistedIp, toBlacklistedIp, torExitNode } from "./ip_evidence.ts";
import {
  answerOfBlacklistedQuery,
  blacklistedDnsAnswerCname,
  blacklistedDnsAnswerIp,
} from "./dns_evidence.ts";
import { blacklistedDomain, type DomainContext } from "./domain_evidence.ts";
import { maliciousUrl, requestedUrl } from "./url_evidence.ts";
import { maliciousJa3, maliciousJa3s, maliciousSslCert } from "./tls_evidence.ts";
import { fileEndpoints, maliciousDownloadedFile } from "./file_evidence.ts";

export interface Finding {
  /** Dedup key within the record's (profile, window). */
  key: string;
  evidence: EvidenceInput[];
}

/** Addresses no feed lists meaningfully: unspecified, broadcast, multicast. */
export function isLookupWorthy(ip: string): boolean {
  const r = ipRange(ip);
  return r !== "invalid" && r !== "unspecified" && r !== "broadcast" && r !== "multicast";
}

/** Answers of a listed query that are sinkholes or local, which blame nobody. */
function isIgnoredAnswer(ip: string): boolean {
  const r = ipRange(ip);
  return r === "private" || r === "loopback" || r === "linkLocal" || r === "unspecified" ||
    r === "broadcast" || r === "multicast" || r === "uniqueLocal" || r === "invalid";
}

/** Reverse-lookup and local names are never looked up. */
export function isSkippedDomain(name: string): boolean {
  const d = name.toLowerCase().replace(/\.$/, "");
  return d === "" || d === "arpa" || d === "local" || d.endsWith(".arpa") || d.endsWith(".local");
}

/** The outgoing ICMP's destination is not looked up (pings to anything are routine). */
function isIcmp(proto: string): boolean {
  return proto === "icmp" || proto === "ipv6-icmp" || proto === "icmp6";
}

/** What most records find: nothing. Shared, so a clean record allocates no array. */
const NOTHING: readonly Finding[] = Object.freeze([]);

// Lookups come before the address-class test, which only matters for the rare listed address.
export function checkConn(flow: Profiled<ConnRecord>, store: IocStore): readonly Finding[] {
  let out: Finding[] | undefined;
  // A listed saddr is blamed for the flow it started (the "from" case).
  const src = store.lookupIp(flow.saddr);
  if (src && isLookupWorthy(flow.saddr)) {
    (out ??= []).push({ key: `ip-src|${flow.saddr}`, evidence: [fromBlacklistedIp(flow, src)] });
  }
  if (isIcmp(flow.proto)) return out ?? NOTHING;
  // A listed daddr: paired evidence, the server at the feed level and the client LOW.
  const m = store.lookupIp(flow.daddr);
  // A daddr in a Tor exit-node list: informational.
  const tor = store.lookupTorExit(flow.daddr);
  if ((m || tor) && isLookupWorthy(flow.daddr)) {
    if (m) (out ??= []).push({ key: `ip-dst|${flow.daddr}`, evidence: toBlacklistedIp(flow, m) });
    if (tor) (out ??= []).push({ key: `tor|${flow.daddr}`, evidence: [torExitNode(flow, tor)] });
  }
  return out ?? NOTHING;
}

function checkDomain(
  rec: Profiled<ConnRecord | DnsRecord | HttpRecord | SslRecord>,
  domain: string,
  context: DomainContext,
  resolvedIp: string | undefined,
  store: IocStore,
): Finding[] {
  if (domain === "" || isIp(domain) || isSkippedDomain(domain)) return [];
  const m = store.lookupDomain(domain);
  if (!m) return [];
  return [{
    key: `domain|${domain.toLowerCase()}`,
    evidence: blacklistedDomain(rec, domain, m, context, resolvedIp),
  }];
}

export function checkDns(dns: Profiled<DnsRecord>, store: IocStore): Finding[] {
  const out: Finding[] = [];
  const queryChecked = dns.query !== "" && !isSkippedDomain(dns.query);
  const answerIps = dns.answers.filter((a) => isIp(a));
  // A listed query (exact: confidence 1, subdomain: 0.7), blamed also on its first answer IP.
  if (queryChecked) {
    out.push(...checkDomain(dns, dns.query, "DNS query", answerIps[0], store));
    const q = store.lookupDomain(dns.query);
    // Each routable answer of a listed query is paired evidence, both at the feed level.
    if (q) {
      for (const ip of answerIps) {
        if (isIgnoredAnswer(ip)) continue;
        out.push({
          key: `answer-of|${dns.query.toLowerCase()}|${ip}`,
          evidence: answerOfBlacklistedQuery(dns, ip, q),
        });
      }
    }
  }
  for (const a of dns.answers) {
    if (isIp(a)) {
      if (!isLookupWorthy(a)) continue;
      // A listed answer IP: the IP and the asking host, both at the feed level.
      const m = store.lookupIp(a);
      if (m) out.push({ key: `answer-ip|${a}`, evidence: blacklistedDnsAnswerIp(dns, a, m) });
    } else if (!a.includes(" ") && !isSkippedDomain(a)) {
      // A listed CNAME in the answer: the asking host (confidence 0.7 for a subdomain match).
      const m = store.lookupDomain(a);
      if (m) {
        out.push({
          key: `answer-cname|${a.toLowerCase()}`,
          evidence: [blacklistedDnsAnswerCname(dns, a, m)],
        });
      }
    }
  }
  return out;
}

export function checkHttp(http: Profiled<HttpRecord>, store: IocStore): Finding[] {
  const host = http.host.replace(/:\d+$/, "");
  const out = checkDomain(http, host, "HTTP host", http.daddr, store);
  // A requested URL listed in a feed, compared without its scheme.
  if (store.urls.size > 0) {
    const url = requestedUrl(http);
    const key = urlKey(url);
    const entry = key !== undefined ? store.urls.get(key) : undefined;
    if (entry && key !== undefined) {
      out.push({ key: `url|${key}`, evidence: [maliciousUrl(http, url, entry)] });
    }
  }
  return out;
}

export function checkSsl(ssl: Profiled<SslRecord>, store: IocStore): Finding[] {
  const out = checkDomain(ssl, ssl.serverName, "TLS SNI", ssl.daddr, store);
  // The client's JA3 is in a JA3 list.
  const ja3 = ssl.ja3 ? store.ja3.get(ssl.ja3.toLowerCase()) : undefined;
  if (ja3) out.push({ key: `ja3|${ssl.ja3.toLowerCase()}`, evidence: [maliciousJa3(ssl, ja3)] });
  // The server's JA3S is in a JA3 list: the server is blamed as a possible C&C.
  const ja3s = ssl.ja3s ? store.ja3.get(ssl.ja3s.toLowerCase()) : undefined;
  if (ja3s) {
    out.push({ key: `ja3s|${ssl.ja3s.toLowerCase()}`, evidence: maliciousJa3s(ssl, ja3s) });
  }
  // A certificate of the server's chain is in an SSL-certificate list.
  for (const fp of ssl.certChainFps) {
    const sha1 = fp.toLowerCase().replace(/^sha1:/, "");
    const entry = store.sslCerts.get(sha1);
    if (entry) {
      out.push({
        key: `cert|${sha1}|${ssl.daddr}`,
        evidence: maliciousSslCert(ssl, ssl.daddr, ssl.saddr, sha1, entry),
      });
    }
  }
  return out;
}

export function checkFile(f: Profiled<FilesRecord>, store: IocStore): Finding[] {
  const out: Finding[] = [];
  const { sender, receiver } = fileEndpoints(f);
  const sha1 = f.sha1.toLowerCase();
  // A certificate sent over SSL and hashed with SHA1 is in an SSL-certificate list.
  if (
    sha1 !== "" && /ssl|tls/i.test(f.fileSource) &&
    f.analyzers.some((a) => a.toUpperCase() === "SHA1")
  ) {
    const entry = store.sslCerts.get(sha1);
    if (entry) {
      out.push({
        key: `cert|${sha1}|${sender}`,
        evidence: maliciousSslCert(f, sender, receiver, sha1, entry),
      });
    }
  }
  // A transferred file (not a listed cert) with a listed md5/sha1/sha256, unless a known-FP md5.
  if (out.length === 0 && store.fileHashes.size > 0 && !store.knownFpMd5.has(f.md5.toLowerCase())) {
    for (const h of [f.md5, f.sha1, f.sha256]) {
      const hash = h.toLowerCase();
      const entry = hash !== "" ? store.fileHashes.get(hash) : undefined;
      if (entry) {
        out.push({ key: `file|${hash}`, evidence: maliciousDownloadedFile(f, hash, entry) });
        break;
      }
    }
  }
  return out;
}
