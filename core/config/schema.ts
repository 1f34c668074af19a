/**
 * Every configuration key, its type, default and meaning. config/slips.conf is generated from
 * this table (`deno task gen-config`), so the shipped file and the code cannot disagree.
 */
export type KeyType =
  | { kind: "number"; min?: number; max?: number }
  | { kind: "boolean" }
  | { kind: "string" }
  | { kind: "list" }
  | { kind: "enum"; values: string[] }
  /** A number of seconds or the word only_one_tw. */
  | { kind: "tw_width" };

export interface KeySpec {
  type: KeyType;
  default: string;
  doc: string;
}

export type Schema = Record<string, Record<string, KeySpec>>;

const num = (d: number, doc: string, min?: number, max?: number): KeySpec => ({
  type: { kind: "number", min, max },
  default: String(d),
  doc,
});
const bool = (d: boolean, doc: string): KeySpec => ({
  type: { kind: "boolean" },
  default: d ? "yes" : "no",
  doc,
});
const str = (d: string, doc: string): KeySpec => ({ type: { kind: "string" }, default: d, doc });
const list = (d: string, doc: string): KeySpec => ({ type: { kind: "list" }, default: d, doc });
const oneOf = (d: string, values: string[], doc: string): KeySpec => ({
  type: { kind: "enum", values },
  default: d,
  doc,
});

export const SCHEMA: Schema = {
  parameters: {
    time_window_width: {
      type: { kind: "tw_width" },
      default: "3600",
      doc: "Width of a time window in seconds, or only_one_tw for a single window.",
    },
    analysis_direction: oneOf(
      "out",
      ["out", "all"],
      "out: profile only the source of each flow; all: the destination too.",
    ),
    client_ips: list(
      "",
      "Your local network(s) as CIDRs or IPs, comma-separated. Empty: inferred from the first private source address.",
    ),
    label: str("normal", "Label given to every flow (kept in labelled exports)."),
    verbose: num(1, "Verbosity 0-3 (the -v flag overrides it).", 0, 3),
    debug: num(0, "Debug level 0-3 (the -e flag overrides it).", 0, 3),
    tcp_inactivity_timeout: num(
      60,
      "Minutes of silence after which the packet engine closes a TCP connection.",
      1,
    ),
    pcapfilter: str("", "BPF filter for live capture (the -F flag overrides it)."),
    capture_buffer_size: num(
      64,
      "MiB of kernel buffer for live capture (tcpdump -B); raise it if the summary reports packets dropped by the kernel.",
      1,
    ),
    metadata_dir: bool(true, "Write metadata/ (config, whitelist, info.txt) in the output dir."),
    export_labeled_flows: bool(false, "Write the flows with labels, profile and window."),
    export_format: oneOf("json", ["json", "tsv"], "Format of the labelled flow export."),
    wait_for_modules_to_finish: num(
      60,
      "Seconds to wait for modules to finish at shutdown before terminating them.",
      0,
    ),
    write_zeek_logs: bool(false, "When reading packets, also write Zeek TSV logs (zeek_files/)."),
    delete_prev_db: bool(true, "Redis backend: clear this run's keys at start."),
    permanent_dir: str(
      "permanent",
      "Directory (relative to the program's home) for data kept across runs, e.g. feed caches.",
    ),
  },
  database: {
    backend: oneOf("embedded", ["embedded", "redis"], "embedded (in-process) or redis."),
    redis_host: str("127.0.0.1", "Host of the Redis server."),
    redis_port: num(6379, "Port of the Redis server (the -P flag overrides it).", 1, 65535),
    redis_prefix: str("slips:", "Prefix of every key this run writes to Redis."),
  },
  detection: {
    evidence_detection_threshold: num(
      0.25,
      "Alert threshold per minute of window: an alert fires at threshold × width / 60 accumulated threat.",
      0,
    ),
    popup_alerts: bool(false, "Desktop notifications (not supported; accepted for compatibility)."),
  },
  DisabledAlerts: {
    disabled_detections: list(
      "",
      "Evidence types to drop, e.g. CONNECTION_TO_PRIVATE_IP, HTTP_TRAFFIC.",
    ),
  },
  modules: {
    disable: list(
      "template, timeline",
      "Modules not to load, comma-separated. timeline is off by default: it detects nothing, and keeping a readable log of every flow costs time and memory; remove it here to get the per-host activity log.",
    ),
    modules_dir: str("", "Where modules are loaded from. Empty: modules/ beside the program."),
    timeline_human_timestamp: bool(true, "Human-readable timestamps in the timeline."),
  },
  whitelists: {
    enable_local_whitelist: bool(true, "Use the local whitelist file."),
    local_whitelist_path: str("config/whitelist.conf", "The whitelist file."),
  },
  flow_alerts: {
    long_connection_threshold: num(1500, "Seconds after which a connection is long.", 0),
    ssh_succesful_detection_threshold: num(
      4290,
      "Bytes of an SSH session above which a login is taken as successful.",
      0,
    ),
    data_exfiltration_threshold: num(
      500,
      "MB sent to one host in one window to call it an upload.",
      0,
    ),
    entropy_threshold: num(
      5,
      "Shannon entropy (bits per character) of a suspicious DNS TXT answer.",
      0,
    ),
    pastebin_download_threshold: num(700, "Bytes downloaded from pastebin to report it.", 0),
  },
  brute_force_detector: {
    ssh_attempt_threshold: num(9, "SSH login attempts to one server before password guessing.", 1),
  },
  threatintelligence: {
    local_threat_intelligence_files: str(
      "config/local_ti_files/",
      "Directory of own_malicious_iocs.csv, own_malicious_JA3.csv, own_malicious_JARM.csv.",
    ),
    ti_files: str("config/TI_feeds.csv", "Feed list: url, threat_level, tags."),
    ja3_feeds: str("config/JA3_feeds.csv", "JA3 feed list."),
    ssl_feeds: str("config/SSL_feeds.csv", "SSL certificate SHA1 feed list."),
    TI_files_update_period: num(86400, "Seconds between feed updates.", 0),
    download_feeds: bool(
      false,
      "Download the feeds (needs network); otherwise only the cache is used.",
    ),
    wait_for_TI_to_finish: bool(false, "Wait for feeds to load before reading input."),
  },
  ip_info: {
    asn_mmdb: str("", "MaxMind GeoLite2-ASN .mmdb file, when you have one."),
    country_mmdb: str("", "MaxMind GeoLite2-Country .mmdb file, when you have one."),
    reverse_dns: bool(false, "Look up reverse DNS of remote IPs (needs network)."),
  },
  timeline: {
    write_files: bool(false, "Write timeline/<ip>.txt files in the output directory."),
    max_entries_per_window: num(1000, "Timeline lines kept per profile and window.", 1),
  },
};

export function defaultsAsData(): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [section, keys] of Object.entries(SCHEMA)) {
    out[section] = {};
    for (const [key, spec] of Object.entries(keys)) out[section][key] = spec.default;
  }
  return out;
}
