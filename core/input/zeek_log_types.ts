/**
 * Which Zeek logs are read, how a file name says which log it is, and the standard fields of each
 * log (anything else earns a one-time notice, so renamed or custom fields do not go unnoticed).
 */

export const ZEEK_LOG_TYPES = [
  "conn",
  "dns",
  "http",
  "ssl",
  "x509",
  "ssh",
  "dhcp",
  "ftp",
  "smtp",
  "tunnel",
  "notice",
  "files",
  "arp",
  "software",
  "weird",
  "login",
] as const;

export type ZeekLogType = typeof ZEEK_LOG_TYPES[number];

const SUPPORTED = new Set<string>(ZEEK_LOG_TYPES);

export function isZeekLogType(s: string): s is ZeekLogType {
  return SUPPORTED.has(s);
}

export interface ZeekLogName {
  /** The part before the first dot: `conn` for `conn.15:00:00-16:00:00.log.gz`. */
  type: string;
  gzip: boolean;
  labeled: boolean;
}

/**
 * Parses `<type>[.<anything>].log[.labeled][.gz]`; null for names that are not Zeek logs at all.
 */
export function parseZeekLogName(fileName: string): ZeekLogName | null {
  let name = fileName;
  let gzip = false;
  let labeled = false;
  if (name.endsWith(".gz")) {
    gzip = true;
    name = name.slice(0, -3);
  }
  if (name.endsWith(".labeled")) {
    labeled = true;
    name = name.slice(0, -8);
  }
  if (!name.endsWith(".log")) return null;
  name = name.slice(0, -4);
  const dot = name.indexOf(".");
  const type = dot < 0 ? name : name.slice(0, dot);
  if (type === "") return null;
  return { type, gzip, labeled };
}

const TUPLE = ["ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p"];
const COMMON = ["label", "detailedlabel", "_path", "_write_ts", "_node_name", "_system_name"];

/** The fields of a default Zeek conn.log, in Zeek's order (generators and benchmarks use it). */
export const ZEEK_CONN_FIELDS: readonly string[] = [
  ...TUPLE,
  "proto",
  "service",
  "duration",
  "orig_bytes",
  "resp_bytes",
  "conn_state",
  "local_orig",
  "local_resp",
  "missed_bytes",
  "history",
  "orig_pkts",
  "orig_ip_bytes",
  "resp_pkts",
  "resp_ip_bytes",
  "tunnel_parents",
];

const STANDARD: Record<ZeekLogType, string[]> = {
  conn: [
    ...ZEEK_CONN_FIELDS,
    "orig_l2_addr",
    "resp_l2_addr",
    "vlan",
    "inner_vlan",
    "community_id",
    "ip_proto",
    "orig_cc",
    "resp_cc",
    "speculative_service",
    "id.vlan",
    "id.inner_vlan",
  ],
  dns: [
    ...TUPLE,
    "proto",
    "trans_id",
    "rtt",
    "query",
    "qclass",
    "qclass_name",
    "qtype",
    "qtype_name",
    "rcode",
    "rcode_name",
    "AA",
    "TC",
    "RD",
    "RA",
    "Z",
    "answers",
    "TTLs",
    "rejected",
    "auth",
    "addl",
    "original_query",
    "opcode",
    "opcode_name",
  ],
  http: [
    ...TUPLE,
    "trans_depth",
    "method",
    "host",
    "uri",
    "referrer",
    "version",
    "user_agent",
    "origin",
    "request_body_len",
    "response_body_len",
    "status_code",
    "status_msg",
    "info_code",
    "info_msg",
    "tags",
    "username",
    "password",
    "proxied",
    "orig_fuids",
    "orig_filenames",
    "orig_mime_types",
    "resp_fuids",
    "resp_filenames",
    "resp_mime_types",
    "client_header_names",
    "server_header_names",
    "cookie_vars",
    "uri_vars",
    "resp_md5",
    "resp_sha1",
  ],
  ssl: [
    ...TUPLE,
    "version",
    "cipher",
    "curve",
    "server_name",
    "resumed",
    "last_alert",
    "next_protocol",
    "established",
    "ssl_history",
    "cert_chain_fps",
    "client_cert_chain_fps",
    "cert_chain_fuids",
    "client_cert_chain_fuids",
    "subject",
    "issuer",
    "client_subject",
    "client_issuer",
    "sni_matches_cert",
    "validation_status",
    "validation_code",
    "ja3",
    "ja3s",
    "ja4",
    "ja4s",
    "is_DoH",
  ],
  x509: [
    "ts",
    "id",
    "fingerprint",
    "certificate.version",
    "certificate.serial",
    "certificate.subject",
    "certificate.issuer",
    "certificate.not_valid_before",
    "certificate.not_valid_after",
    "certificate.key_alg",
    "certificate.sig_alg",
    "certificate.key_type",
    "certificate.key_length",
    "certificate.exponent",
    "certificate.curve",
    "certificate.tbs_sig_alg",
    "san.dns",
    "san.uri",
    "san.email",
    "san.ip",
    "basic_constraints.ca",
    "basic_constraints.path_len",
    "host_cert",
    "client_cert",
  ],
  ssh: [
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
    "hasshVersion",
    "hassh",
    "hasshServer",
    "hasshAlgorithms",
    "hasshServerAlgorithms",
    "cshka",
    "sshka",
  ],
  dhcp: [
    "ts",
    "uids",
    "client_addr",
    "server_addr",
    "mac",
    "host_name",
    "client_fqdn",
    "domain",
    "requested_addr",
    "assigned_addr",
    "lease_time",
    "client_message",
    "server_message",
    "msg_types",
    "duration",
    "client_software",
    "server_software",
    "circuit_id",
    "agent_remote_id",
    "subscriber_id",
  ],
  ftp: [
    ...TUPLE,
    "user",
    "password",
    "command",
    "arg",
    "mime_type",
    "file_size",
    "reply_code",
    "reply_msg",
    "data_channel.passive",
    "data_channel.orig_h",
    "data_channel.resp_h",
    "data_channel.resp_p",
    "fuid",
  ],
  smtp: [
    ...TUPLE,
    "trans_depth",
    "helo",
    "mailfrom",
    "rcptto",
    "date",
    "from",
    "to",
    "cc",
    "reply_to",
    "msg_id",
    "in_reply_to",
    "subject",
    "x_originating_ip",
    "first_received",
    "second_received",
    "last_reply",
    "path",
    "user_agent",
    "tls",
    "fuids",
    "is_webmail",
  ],
  tunnel: [...TUPLE, "tunnel_type", "action"],
  notice: [
    ...TUPLE,
    "fuid",
    "file_mime_type",
    "file_desc",
    "proto",
    "note",
    "msg",
    "sub",
    "src",
    "dst",
    "p",
    "n",
    "peer_descr",
    "actions",
    "email_dest",
    "suppress_for",
    "dropped",
  ],
  files: [
    "ts",
    "fuid",
    "uid",
    "id.orig_h",
    "id.orig_p",
    "id.resp_h",
    "id.resp_p",
    "tx_hosts",
    "rx_hosts",
    "conn_uids",
    "source",
    "depth",
    "analyzers",
    "mime_type",
    "filename",
    "duration",
    "local_orig",
    "is_orig",
    "seen_bytes",
    "total_bytes",
    "missing_bytes",
    "overflow_bytes",
    "timedout",
    "parent_fuid",
    "md5",
    "sha1",
    "sha256",
    "extracted",
    "extracted_cutoff",
    "extracted_size",
  ],
  arp: ["ts", "uid", "operation", "src_mac", "dst_mac", "orig_h", "resp_h", "orig_hw", "resp_hw"],
  software: [
    "ts",
    "host",
    "host_p",
    "software_type",
    "name",
    "version.major",
    "version.minor",
    "version.minor2",
    "version.minor3",
    "version.addl",
    "unparsed_version",
    "url",
  ],
  weird: [...TUPLE, "name", "addl", "notice", "peer", "source"],
  login: [...TUPLE, "proto", "success", "confused", "user", "client_user", "password"],
};

const KNOWN = new Map<ZeekLogType, Set<string>>(
  ZEEK_LOG_TYPES.map((t) => [t, new Set([...STANDARD[t], ...COMMON])]),
);

/** Whether `field` is one this program knows for the log (used or knowingly ignored). */
export function isKnownField(type: ZeekLogType, field: string): boolean {
  if (KNOWN.get(type)?.has(field)) return true;
  // Geo-location and deployment-specific prefixes are common and never used.
  return field.startsWith("remote_location.") || field.startsWith("_");
}
