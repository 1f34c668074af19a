/** Small factories for the records flow_alerts tests feed in; each test states only what matters. */
import type { ChannelMessage } from "../../../core/database/channels.ts";
import type {
  ConnRecord,
  DhcpRecord,
  DnsRecord,
  LoginRecord,
  NoticeRecord,
  Profiled,
  SmtpRecord,
  SoftwareRecord,
  SshRecord,
  SslRecord,
  TunnelRecord,
} from "../../../core/records/records.ts";
import { emptyConn } from "../../../core/records/defaults.ts";

let uidCounter = 0;
const nextUid = () => `C${++uidCounter}`;

type Base = { profileid?: string; twid?: number };

function profiled<R extends { saddr: string }>(
  r: R,
  o: Base,
): R & { profileid: string; twid: number } {
  return { ...r, profileid: o.profileid ?? `profile_${r.saddr}`, twid: o.twid ?? 1 };
}

export function conn(o: Partial<ConnRecord> & Base = {}): Profiled<ConnRecord> {
  const base: ConnRecord = {
    ...emptyConn("zeek"),
    uid: nextUid(),
    ts: 1_700_000_000,
    saddr: "192.168.1.10",
    daddr: "93.184.216.34",
    sport: 50_000,
    dport: 443,
    proto: "tcp",
    appproto: "ssl",
    dur: 1,
    sbytes: 100,
    dbytes: 100,
    spkts: 5,
    dpkts: 5,
    state: "SF",
    interpreted: "Established",
  };
  const { profileid, twid, ...rest } = o;
  return profiled({ ...base, ...rest }, { profileid, twid });
}

export function dns(o: Partial<DnsRecord> & Base = {}): Profiled<DnsRecord> {
  const base: DnsRecord = {
    kind: "dns",
    uid: nextUid(),
    ts: 1_700_000_000,
    saddr: "192.168.1.10",
    daddr: "192.168.1.1",
    sport: 40_000,
    dport: 53,
    proto: "udp",
    source: "zeek",
    query: "example.com",
    qclass: "C_INTERNET",
    qtype: "A",
    rcode: "NOERROR",
    answers: ["93.184.216.34"],
    ttls: [300],
  };
  const { profileid, twid, ...rest } = o;
  return profiled({ ...base, ...rest }, { profileid, twid });
}

export function ssl(o: Partial<SslRecord> & Base = {}): Profiled<SslRecord> {
  const base: SslRecord = {
    kind: "ssl",
    uid: nextUid(),
    ts: 1_700_000_000,
    saddr: "192.168.1.10",
    daddr: "93.184.216.34",
    sport: 50_001,
    dport: 443,
    proto: "tcp",
    source: "zeek",
    version: "TLSv13",
    cipher: "TLS_AES_128_GCM_SHA256",
    resumed: false,
    established: true,
    certChainFps: [],
    clientCertChainFps: [],
    subject: "CN=example.com",
    issuer: "CN=Some CA",
    serverName: "example.com",
    validationStatus: "ok",
    curve: "x25519",
    ja3: "",
    ja3s: "",
    isDoH: false,
    notValidBefore: 0,
    notValidAfter: 0,
  };
  const { profileid, twid, ...rest } = o;
  return profiled({ ...base, ...rest }, { profileid, twid });
}

export function ssh(o: Partial<SshRecord> & Base = {}): Profiled<SshRecord> {
  const base: SshRecord = {
    kind: "ssh",
    uid: nextUid(),
    ts: 1_700_000_000,
    saddr: "192.168.1.10",
    daddr: "185.199.108.7",
    sport: 50_002,
    dport: 22,
    proto: "tcp",
    source: "zeek",
    version: 2,
    authSuccess: null,
    authAttempts: 0,
    client: "SSH-2.0-OpenSSH_9.6",
    server: "SSH-2.0-OpenSSH_8.9",
    cipherAlg: "",
    macAlg: "",
    compressionAlg: "",
    kexAlg: "",
    hostKeyAlg: "",
    hostKey: "",
  };
  const { profileid, twid, ...rest } = o;
  return profiled({ ...base, ...rest }, { profileid, twid });
}

export function software(o: Partial<SoftwareRecord> & Base = {}): Profiled<SoftwareRecord> {
  const base: SoftwareRecord = {
    kind: "software",
    uid: nextUid(),
    ts: 1_700_000_000,
    saddr: "192.168.1.10",
    daddr: "",
    sport: 0,
    dport: 0,
    proto: "",
    source: "zeek",
    softwareType: "SSH::CLIENT",
    name: "OpenSSH",
    versionMajor: "8",
    versionMinor: "1",
    unparsedVersion: "OpenSSH_8.1",
  };
  const { profileid, twid, ...rest } = o;
  return profiled({ ...base, ...rest }, { profileid, twid });
}

export function smtp(o: Partial<SmtpRecord> & Base = {}): Profiled<SmtpRecord> {
  const base: SmtpRecord = {
    kind: "smtp",
    uid: nextUid(),
    ts: 1_700_000_000,
    saddr: "192.168.1.10",
    daddr: "151.101.1.25",
    sport: 50_003,
    dport: 25,
    proto: "tcp",
    source: "zeek",
    lastReply: "554 5.7.1 bad smtp-auth user",
  };
  const { profileid, twid, ...rest } = o;
  return profiled({ ...base, ...rest }, { profileid, twid });
}

export function tunnel(o: Partial<TunnelRecord> & Base = {}): Profiled<TunnelRecord> {
  const base: TunnelRecord = {
    kind: "tunnel",
    uid: nextUid(),
    ts: 1_700_000_000,
    saddr: "10.0.2.15",
    daddr: "115.112.11.30",
    sport: 0,
    dport: 0,
    proto: "",
    source: "zeek",
    tunnelType: "Tunnel::GRE",
    action: "Tunnel::EXPIRE",
  };
  const { profileid, twid, ...rest } = o;
  return profiled({ ...base, ...rest }, { profileid, twid });
}

export function login(o: Partial<LoginRecord> & Base = {}): Profiled<LoginRecord> {
  const base: LoginRecord = {
    kind: "login",
    uid: nextUid(),
    ts: 1_700_000_000,
    saddr: "192.168.1.10",
    daddr: "192.168.1.20",
    sport: 50_004,
    dport: 23,
    proto: "tcp",
    source: "zeek",
    success: true,
    confused: false,
    user: "admin",
    clientUser: "",
  };
  const { profileid, twid, ...rest } = o;
  return profiled({ ...base, ...rest }, { profileid, twid });
}

export function dhcp(o: Partial<DhcpRecord> & Base = {}): Profiled<DhcpRecord> {
  const base: DhcpRecord = {
    kind: "dhcp",
    uid: nextUid(),
    ts: 1_700_000_000,
    saddr: "192.168.1.10",
    daddr: "192.168.1.1",
    sport: 68,
    dport: 67,
    proto: "udp",
    source: "zeek",
    uids: [],
    clientAddr: "192.168.1.10",
    serverAddr: "192.168.1.1",
    mac: "aa:bb:cc:dd:ee:ff",
    hostName: "laptop",
    requestedAddr: "",
  };
  const { profileid, twid, ...rest } = o;
  return profiled({ ...base, ...rest }, { profileid, twid });
}

export function notice(o: Partial<NoticeRecord> & Base = {}): Profiled<NoticeRecord> {
  const base: NoticeRecord = {
    kind: "notice",
    uid: nextUid(),
    ts: 1_700_000_000,
    saddr: "192.168.1.10",
    daddr: "192.168.1.1",
    sport: 0,
    dport: 0,
    proto: "",
    source: "zeek",
    note: "Gateway_addr_identified",
    msg: "Gateway_addr_identified: 192.168.1.1",
    scanningIp: "",
    scannedPort: 0,
    dst: "",
  };
  const { profileid, twid, ...rest } = o;
  return profiled({ ...base, ...rest }, { profileid, twid });
}

export const flowMsg = (data: Profiled<ConnRecord>): ChannelMessage => ({
  channel: "new_flow",
  data,
});
export const dnsMsg = (data: Profiled<DnsRecord>): ChannelMessage => ({ channel: "new_dns", data });
export const sslMsg = (data: Profiled<SslRecord>): ChannelMessage => ({ channel: "new_ssl", data });
export const sshMsg = (data: Profiled<SshRecord>): ChannelMessage => ({ channel: "new_ssh", data });
export const softwareMsg = (data: Profiled<SoftwareRecord>): ChannelMessage => ({
  channel: "new_software",
  data,
});
export const smtpMsg = (data: Profiled<SmtpRecord>): ChannelMessage => ({
  channel: "new_smtp",
  data,
});
export const tunnelMsg = (data: Profiled<TunnelRecord>): ChannelMessage => ({
  channel: "new_tunnel",
  data,
});
export const loginMsg = (data: Profiled<LoginRecord>): ChannelMessage => ({
  channel: "new_login",
  data,
});
export const dhcpMsg = (data: Profiled<DhcpRecord>): ChannelMessage => ({
  channel: "new_dhcp",
  data,
});
export const noticeMsg = (data: Profiled<NoticeRecord>): ChannelMessage => ({
  channel: "new_notice",
  data,
});
export const twClosed = (ip: string, twid: number): ChannelMessage => ({
  channel: "tw_closed",
  data: { profileid: `profile_${ip}`, ip, twid, start: 0, end: 0 },
});
