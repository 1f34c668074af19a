/**
 * flow_alerts: the per-record checks of connections, DNS, TLS, SSH, SMTP, logins and tunnels
 * (detections.md §2–§5, §7, §8, §12). This class only routes records to the pure checks in the
 * sibling files and keeps their state; every rule is written down next to its check.
 */
import {
  type ChannelMessage,
  type ChannelPayloads,
  Cidr,
  type ConnRecord,
  type CoreChannel,
  type DhcpRecord,
  type DnsRecord,
  ipRange,
  isIp,
  LocalNetwork,
  Module,
  type ModulePermissions,
  type NoticeRecord,
  type Profiled,
  type SmtpRecord,
  type SoftwareRecord,
  type SshRecord,
  type SslRecord,
  type TimeWindowRef,
} from "@slips/core";
import { type FlowAlertsSettings, readSettings } from "./settings.ts";
import { WindowRegistry, type WindowState } from "./window_state.ts";
import { BoundedMap, BoundedSet } from "@slips/core";
import { isLongConnection, longConnectionEvidence } from "./long_connection.ts";
import {
  type DestinationNames,
  FtpDataPorts,
  HeldFlows,
  isOrgPort,
  isUnknownPortCandidate,
  P2pTracker,
  UNKNOWN_PORT_HOLD,
  unknownPortEvidence,
} from "./unknown_port.ts";
import {
  countTo,
  isFailedTelnet,
  isRejected,
  reconnectionEvidence,
  REJ_THRESHOLD,
  TELNET_THRESHOLD,
} from "./reconnection.ts";
import { isPortZero, portZeroEvidence } from "./port_zero.ts";
import { isPrivateConnection, privateConnectionEvidence } from "./private_ip.ts";
import {
  outsideLocalnet,
  outsideLocalnetEvidence,
  OutsideResolvers,
} from "./different_localnet.ts";
import { DnsResolutions } from "./dns_resolutions.ts";
import {
  connectionWithoutDnsEvidence,
  explainedConnection,
  needsResolution,
  type NoDnsContext,
  PendingResolutions,
} from "./connection_without_dns.ts";
import {
  connectedAfterDns,
  DnsCheckQueue,
  dnsWithoutConnectionEvidence,
  isDnsWithoutConnectionCandidate,
  type PendingDnsCheck,
  pendingDnsCheck,
  RECHECK_EVERY,
  RECHECKS,
} from "./dns_without_connection.ts";
import { addPort, isUnidentifiedEstablishedTcp, multiplePortsEvidence } from "./multiple_ports.ts";
import {
  BYTES_PER_MB,
  flowUploadEvidence,
  isLargeUpload,
  isUploadDestination,
  uploadEvidence,
  WindowUploads,
  windowUploads,
} from "./data_upload.ts";
import { changedIp, changedIpEvidence, MacBindings } from "./device_changing_ip.ts";
import { nonHttpEvidence, nonSslEvidence, ProtocolOnPort } from "./port_protocol_mismatch.ts";
import {
  highEntropyAnswers,
  highEntropyEvidence,
  invalidAnswerEvidence,
  invalidAnswers,
} from "./dns_answers.ts";
import { addNxdomain, dgaEvidence, isCountedNxdomain } from "./dga.ts";
import { arpaScanEvidence, ArpaScans } from "./arpa_scan.ts";
import {
  ageKey,
  DOMAIN_AGE_CACHE,
  isYoung,
  parseAge,
  youngDomainEvidence,
} from "./young_domain.ts";
import {
  cnMismatch,
  cnMismatchEvidence,
  dohEvidence,
  DOMAIN_ORG_CACHE,
  impersonatedOrg,
  incompatibleCnEvidence,
  isPastebin,
  isSelfSigned,
  pastebinEvidence,
  sameOrganisation,
  selfSignedEvidence,
} from "./tls_certificates.ts";
import { type ConnBytes, UidJoin } from "./uid_join.ts";
import { sshSuccess, sshSuccessEvidence, sshVersionEvidence, SshVersions } from "./ssh.ts";
import {
  badSmtpLoginEvidence,
  isBadSmtpLogin,
  smtpBruteforceEvidence,
  SmtpLogins,
} from "./smtp_login.ts";
import { greEvidence, loginEvidence } from "./tunnel_and_login.ts";
import { loadOrgLookup, ORGANIZATIONS_DIR, type OrgLookup } from "./org_lookup.ts";

/** Traffic seconds an ssh/ssl record waits for its conn flow (Slips waits 15 s and 40 s of wall clock). */
const JOIN_WAIT = 60;
/** Live input: wall-clock warm-up before connection/DNS pairing checks run, and the low-confidence period. */
const LIVE_WARMUP_MS = 30 * 60_000;
const LIVE_LOW_CONFIDENCE_MS = 5 * 3600_000;
/** Resolutions waiting for a connection at most; beyond, the oldest are decided early. */
const MAX_PENDING_DNS = 100_000;
/** Traffic seconds before the same domain's age is asked for again. */
const AGE_RECHECK = 600;
const SSH_SERVICES = ["ssh"];

export default class FlowAlerts extends Module implements DestinationNames {
  readonly name = "flow_alerts";
  readonly description =
    "Checks every connection, DNS, TLS, SSH, SMTP, login and tunnel record for suspicious behaviour.";
  readonly authors = ["Slips for Deno contributors"];
  override readonly channels: readonly CoreChannel[] = [
    "new_flow",
    "new_dns",
    "new_ssl",
    "new_ssh",
    "new_software",
    "new_smtp",
    "new_tunnel",
    "new_login",
    "new_ftp",
    "new_dhcp",
    "new_MAC",
    "new_notice",
    "port_scanner",
    "tw_closed",
  ];
  /** The organisations' data files, shared with the whitelist. */
  override readonly permissions: ModulePermissions = { read: [`{home}/${ORGANIZATIONS_DIR}`] };

  #s!: FlowAlertsSettings;
  #windows = new WindowRegistry();
  #localNet = new LocalNetwork();
  #clientNets: Cidr[] = [];
  #live = false;
  #startedAt = Date.now();
  #gateway: string | undefined;
  /** Latest conn-flow and DNS timestamps: the traffic clocks deferred checks wait on. */
  #flowClock = 0;
  #dnsClock = 0;
  #lastTick = 0;
  #lastDnsTick = 0;

  #resolutions = new DnsResolutions();
  #sni = new BoundedMap<string, string>(200_000);
  #dhcpServers = new BoundedSet<string>(1_000);
  #dohServers = new BoundedSet<string>(10_000);
  #pastebinIps = new BoundedSet<string>(1_000);
  #p2p = new P2pTracker();
  #ftpPorts = new FtpDataPorts();
  #unknownPorts = new HeldFlows();
  /** `profileid|twid` of the windows network_discovery reported as port scanners. */
  #scanners = new BoundedSet<string>(100_000);
  #lateReports = new BoundedSet<string>(50_000);
  #macs = new MacBindings();
  #noDns = new PendingResolutions();
  #noDnsCtx!: NoDnsContext;
  #dnsChecks = new DnsCheckQueue();
  #nonSsl = new ProtocolOnPort(443, ["ssl", "tls"], 10_000);
  #nonHttp = new ProtocolOnPort(80, ["http"], 10_000);
  #sshJoin = new UidJoin<Profiled<SshRecord>>();
  #tlsJoin = new UidJoin<Profiled<SslRecord>>();
  #sshVersions = new SshVersions();
  #smtp = new SmtpLogins();
  #arpa = new ArpaScans();
  #resolvers = new OutsideResolvers();
  #ageAsked = new BoundedMap<string, number>(100_000);
  #lookups = new Set<Promise<void>>();
  #orgs!: OrgLookup;

  override init(): void {
    this.#s = readSettings(this.config);
    this.#localNet = new LocalNetwork(this.context.clientIps);
    for (const c of this.context.clientIps) {
      try {
        this.#clientNets.push(new Cidr(c));
      } catch {
        this.print(`Ignoring client_ips entry "${c}": it is not an IP address or CIDR.`, 1, 1);
      }
    }
    this.#orgs = loadOrgLookup(
      `${this.context.homeDir}/${ORGANIZATIONS_DIR}`,
      (message) => this.print(message, 1, 1),
    );
    this.#live = this.context.inputType === "interface";
    this.#startedAt = Date.now();
    const clientNets = this.#clientNets;
    const sni = this.#sni;
    this.#noDnsCtx = {
      singleZeekFile: this.context.inputType === "file",
      dhcpServers: this.#dhcpServers,
      doHServers: this.#dohServers,
      isClientIp: (ip) => clientNets.length > 0 && clientNets.some((c) => c.contains(ip)),
      sniOf: (ip) => sni.get(ip),
      orgs: this.#orgs,
    };
  }

  main(message: ChannelMessage): void {
    switch (message.channel) {
      case "new_flow":
        return this.#onFlow(message.data);
      case "new_dns":
        return this.#onDns(message.data);
      case "new_ssl":
        return this.#onSsl(message.data);
      case "new_ssh":
        return this.#onSsh(message.data);
      case "new_software":
        return this.#onSoftware(message.data);
      case "new_smtp":
        return this.#onSmtp(message.data);
      case "new_tunnel": {
        const e = greEvidence(message.data);
        if (e) this.setEvidence(e);
        return;
      }
      case "new_login": {
        const e = loginEvidence(message.data);
        if (e) this.setEvidence(e);
        return;
      }
      case "new_ftp":
        if (message.data.usedPort > 0) this.#ftpPorts.add(message.data.usedPort);
        return;
      case "new_dhcp":
        return this.#onDhcp(message.data);
      case "new_MAC":
        return this.#onMac(message.data);
      case "new_notice":
        return this.#onNotice(message.data);
      case "port_scanner":
        this.#window(message.data.profileid, message.data.twid).portScanner = true;
        this.#scanners.add(`${message.data.profileid}|${message.data.twid}`);
        return;
      case "tw_closed":
        return this.#onWindowClosed(message.data);
    }
  }

  override async shutdownGracefully(): Promise<void> {
    // The input has ended: every look-ahead is as complete as it will get.
    for (const f of this.#noDns.takeAll()) this.#decideNoDns(f);
    for (const f of this.#unknownPorts.takeAll()) this.#decideUnknownPort(f);
    for (const f of this.#nonSsl.all()) this.#decidePort(this.#nonSsl, f);
    for (const f of this.#nonHttp.all()) this.#decidePort(this.#nonHttp, f);
    for (const r of this.#sshJoin.drain()) this.#decideSsh(r, undefined);
    this.#tlsJoin.drain();
    for (const item of this.#dnsChecks.takeOverflow(0)) this.#finalDnsCheck(item);
    for (const w of this.#windows.releaseAll()) this.#closeWindow(w);
    await Promise.all(this.#lookups);
  }

  /** DestinationNames: what the destination is known as (DNS name, TLS SNI). */
  names(ip: string): readonly string[] {
    const out: string[] = [];
    const dns = this.#resolutions.nameOf(ip);
    if (dns !== undefined) out.push(dns);
    const sni = this.#sni.get(ip);
    if (sni !== undefined) out.push(sni);
    return out;
  }

  // ---- conn flows -------------------------------------------------------------------------

  #onFlow(f: Profiled<ConnRecord>): void {
    if (f.ts > this.#flowClock) {
      this.#flowClock = f.ts;
      if (f.ts >= this.#lastTick + 1) this.#tick();
    }
    this.#localNet.observe(f.saddr);
    const w = this.#window(f.profileid, f.twid);
    w.contacted.add(f.daddr);
    const s = this.#s;

    if (this.#sshJoin.wants(f, SSH_SERVICES)) {
      const joined = this.#sshJoin.addConn(f);
      if (joined) this.#decideSsh(joined[0], joined[1]);
    }
    // Only pastebin's servers matter for TLS sizes; keeping every TLS flow would cost per flow.
    if (this.#tlsJoin.isWaiting(f.uid) || this.#pastebinIps.has(f.daddr)) {
      const joined = this.#tlsJoin.addConn(f);
      if (joined) this.#decidePastebin(joined[0], joined[1]);
    }

    const sRange = ipRange(f.saddr);
    const dRange = ipRange(f.daddr);
    if (
      isLongConnection(f, s.longConnectionThreshold) && w.firstReport(`LC|${f.daddr}|${f.dport}`)
    ) {
      this.setEvidence(longConnectionEvidence(f));
    }
    if (
      isUnknownPortCandidate(f, dRange) && !w.portScanner && !this.#ftpPorts.has(f.dport) &&
      !isOrgPort(f, this, this.#orgs) && !this.#p2p.observe(f) &&
      w.firstReport(`UP|${f.daddr}|${f.dport}`)
    ) {
      const due = Math.max(f.ts, this.#flowClock) + UNKNOWN_PORT_HOLD;
      for (const early of this.#unknownPorts.push(f, due)) this.#decideUnknownPort(early);
    }
    if (isRejected(f)) {
      const n = countTo(
        w.rejected ??= new Map(),
        `${f.saddr}|${f.daddr}|${f.dport}`,
        REJ_THRESHOLD,
      );
      if (n > 0) this.setEvidence(reconnectionEvidence(f, n, false));
    }
    if (isFailedTelnet(f)) {
      const n = countTo(w.telnet ??= new Map(), `${f.saddr}|${f.daddr}`, TELNET_THRESHOLD);
      if (n > 0) this.setEvidence(reconnectionEvidence(f, n, true));
    }
    if (isPortZero(f) && w.firstReport(`P0|${f.daddr}|${f.sport === 0 ? "s" : "d"}|${f.dport}`)) {
      this.setEvidence(portZeroEvidence(f));
    }
    if (
      isPrivateConnection(f, this.#gateway, sRange, dRange) &&
      w.firstReport(`PI|${f.daddr}`)
    ) {
      this.setEvidence(privateConnectionEvidence(f));
    }
    // DNS flows get the DNS variant of this check, with its resolver exemption.
    if (!(f.dport === 53 && f.proto === "udp")) {
      const found = outsideLocalnet(f, this.#localNet, sRange, dRange);
      if (
        (found.dst || found.src) &&
        w.firstReport(`DL|${f.saddr}|${f.daddr}|${found.dst}|${found.src}`)
      ) {
        for (const e of outsideLocalnetEvidence(f, found, this.#localNet, "Connection")) {
          this.setEvidence(e);
        }
      }
    }
    if (
      needsResolution(f, this.#noDnsCtx, dRange) && !this.#inWarmup() &&
      !explainedConnection(f, this.#resolutions, this.#noDnsCtx) &&
      !w.reported.has(`ND|${f.daddr}`)
    ) {
      const early = this.#noDns.push(f);
      if (early) this.#decideNoDns(early);
    }
    if (isUnidentifiedEstablishedTcp(f)) {
      const pairs = w.multiplePorts ??= new Map();
      if (addPort(pairs, f) > 0) {
        this.setEvidence(multiplePortsEvidence(f, pairs.get(f.daddr)!.ports));
      }
    }
    if (f.sbytes > 0 && isUploadDestination(f, this.#gateway, dRange)) {
      (w.uploads ??= new WindowUploads(s.dataExfiltrationThresholdMb * BYTES_PER_MB)).add(f);
      if (isLargeUpload(f)) { for (const e of flowUploadEvidence(f)) this.setEvidence(e); }
    }
    if (f.smac !== "") {
      const before = changedIp(f, this.#macs);
      if (before !== undefined) this.setEvidence(changedIpEvidence(f, before));
    }
    this.#checkPort(this.#nonSsl, f);
    this.#checkPort(this.#nonHttp, f);
  }

  #checkPort(check: ProtocolOnPort, f: Profiled<ConnRecord>): void {
    if (check.recognises(f)) check.remember(f);
    else if (check.isSuspect(f) && !check.vouched(f)) {
      for (const early of check.hold(f)) this.#decidePort(check, early);
    }
  }

  /** Runs the deferred checks whose wait the traffic clocks have ended. */
  #tick(): void {
    this.#lastTick = this.#flowClock;
    for (const f of this.#noDns.takeDue(this.#dnsClock, this.#flowClock)) this.#decideNoDns(f);
    for (const item of this.#dnsChecks.takeDue(this.#flowClock)) this.#recheckDns(item);
    for (const f of this.#nonSsl.due(this.#flowClock)) this.#decidePort(this.#nonSsl, f);
    for (const f of this.#nonHttp.due(this.#flowClock)) this.#decidePort(this.#nonHttp, f);
    for (const r of this.#sshJoin.expired(this.#flowClock)) this.#decideSsh(r, undefined);
    for (const f of this.#unknownPorts.takeDue(this.#flowClock)) this.#decideUnknownPort(f);
    // A pastebin record whose conn never came has no size to report.
    this.#tlsJoin.expired(this.#flowClock);
  }

  /** An UNKNOWN_PORT candidate after its hold: reported unless its source turned out a scanner. */
  #decideUnknownPort(f: Profiled<ConnRecord>): void {
    if (this.#scanners.has(`${f.profileid}|${f.twid}`) || this.#ftpPorts.has(f.dport)) return;
    this.setEvidence(unknownPortEvidence(f));
  }

  #decideNoDns(f: Profiled<ConnRecord>): void {
    // An input without DNS records (a conn.log alone) cannot show resolutions: nothing to judge.
    if (this.#dnsClock === 0) return;
    if (explainedConnection(f, this.#resolutions, this.#noDnsCtx)) return;
    if (!this.#firstReport(f, `ND|${f.daddr}`)) return;
    const liveYoung = this.#live && Date.now() - this.#startedAt < LIVE_LOW_CONFIDENCE_MS;
    this.setEvidence(connectionWithoutDnsEvidence(f, liveYoung ? 0.1 : 0.8));
  }

  /** Reports a suspect the check found unvouched. */
  #decidePort(check: ProtocolOnPort, f: Profiled<ConnRecord>): void {
    if (!this.#firstReport(f, `PM${check.port}|${f.daddr}`)) return;
    const evidence = check.port === 443 ? nonSslEvidence(f) : nonHttpEvidence(f);
    for (const e of evidence) this.setEvidence(e);
  }

  /**
   * Once per window and key, also for decisions taken after the window closed (pending checks
   * decided at the end of the input): those are remembered in a small table of their own.
   */
  #firstReport(f: Profiled<ConnRecord>, key: string): boolean {
    const w = this.#windows.peek(f.profileid, f.twid);
    if (w !== undefined) return w.firstReport(key);
    const late = `${f.profileid}|${f.twid}|${key}`;
    if (this.#lateReports.has(late)) return false;
    this.#lateReports.add(late);
    return true;
  }

  #inWarmup(): boolean {
    return this.#live && Date.now() - this.#startedAt < LIVE_WARMUP_MS;
  }

  // ---- DNS ---------------------------------------------------------------------------------

  #onDns(r: Profiled<DnsRecord>): void {
    if (r.ts > this.#dnsClock) {
      this.#dnsClock = r.ts;
      if (r.ts >= this.#lastDnsTick + 1 && this.#noDns.size > 0) {
        this.#lastDnsTick = r.ts;
        for (const f of this.#noDns.takeDue(this.#dnsClock, this.#flowClock)) this.#decideNoDns(f);
      }
    }
    const w = this.#window(r.profileid, r.twid);

    if (r.answers.length > 0) {
      this.#resolutions.add(r.query, r.answers, r.ts);
      if (r.query.toLowerCase().includes("pastebin")) {
        for (const a of r.answers) if (isIp(a)) this.#pastebinIps.add(a);
      }
      for (const ip of invalidAnswers(r)) {
        this.#resolutions.forget(ip);
        if (w.firstReport(`IV|${r.query}|${ip}`)) this.setEvidence(invalidAnswerEvidence(r, ip));
      }
      for (const { answer, entropy } of highEntropyAnswers(r, this.#s.entropyThreshold)) {
        if (w.firstReport(`HE|${r.query}|${answer}`)) {
          for (const e of highEntropyEvidence(r, answer, entropy)) this.setEvidence(e);
        }
      }
    }
    if (isCountedNxdomain(r)) {
      const n = addNxdomain(w.nxdomains ??= new Set(), r.query);
      if (n > 0) this.setEvidence(dgaEvidence(r, n));
    }
    const arpa = this.#arpa.observe(r);
    if (arpa > 0) this.setEvidence(arpaScanEvidence(r, arpa));

    if (r.proto === "udp" && r.dport === 53) this.#dnsLocalnet(r, w);

    if (
      isDnsWithoutConnectionCandidate(r) && !this.#inWarmup() &&
      w.firstReport(`DW|${r.query.toLowerCase()}`)
    ) {
      const item = pendingDnsCheck(r);
      (w.pendingDns ??= []).push(item);
      this.#dnsChecks.push(item);
      for (const old of this.#dnsChecks.takeOverflow(MAX_PENDING_DNS)) this.#finalDnsCheck(old);
    }
    this.#checkDomainAge(r, w);
  }

  // DIFFERENT_LOCALNET (DNS): the conn rule on 53/udp, except resolvers that answered ≥ 5 queries (intended fix of B8).
  #dnsLocalnet(r: Profiled<DnsRecord>, w: WindowState): void {
    if (r.answers.length > 0) this.#resolvers.answered(r.daddr);
    if (this.#resolvers.trusted(r.daddr)) return;
    const found = outsideLocalnet(r, this.#localNet, ipRange(r.saddr), ipRange(r.daddr));
    if (!found.dst && !found.src) return;
    if (!w.firstReport(`DLD|${r.saddr}|${r.daddr}|${found.dst}|${found.src}`)) return;
    for (const e of outsideLocalnetEvidence(r, found, this.#localNet, "DNS query")) {
      this.setEvidence(e);
    }
  }

  /** A re-check at 10 or 20 minutes; the third one is final. */
  #recheckDns(item: PendingDnsCheck): void {
    if (item.done) return;
    if (this.#isDnsConnected(item)) {
      item.done = true;
      return;
    }
    item.checks++;
    if (item.checks >= RECHECKS) return this.#finalDnsCheck(item);
    item.due += RECHECK_EVERY;
    this.#dnsChecks.push(item);
  }

  #finalDnsCheck(item: PendingDnsCheck): void {
    if (item.done) return;
    item.done = true;
    if (this.#isDnsConnected(item)) return;
    this.setEvidence(dnsWithoutConnectionEvidence(item.record));
  }

  #isDnsConnected(item: PendingDnsCheck, released?: WindowState): boolean {
    const r = item.record;
    const own = released ?? this.#windows.peek(r.profileid, r.twid);
    const next = this.#windows.peek(r.profileid, r.twid + 1);
    return connectedAfterDns(item, [own?.contacted, next?.contacted], this.#resolutions);
  }

  #checkDomainAge(r: Profiled<DnsRecord>, w: WindowState): void {
    const domain = ageKey(r.query);
    if (domain === undefined || w.reported.has(`YD|${domain}`)) return;
    const asked = this.#ageAsked.get(domain);
    if (asked !== undefined && r.ts - asked < AGE_RECHECK && r.ts >= asked) return;
    this.#ageAsked.set(domain, r.ts);
    this.#track(
      this.db.cacheGet(DOMAIN_AGE_CACHE, domain).then((value) => {
        const age = parseAge(value);
        if (age === undefined || !isYoung(age) || !w.firstReport(`YD|${domain}`)) return;
        for (const e of youngDomainEvidence(r, age)) this.setEvidence(e);
      }),
    );
  }

  // ---- TLS ---------------------------------------------------------------------------------

  #onSsl(r: Profiled<SslRecord>): void {
    const w = this.#window(r.profileid, r.twid);
    if (r.serverName !== "") this.#sni.set(r.daddr, r.serverName.toLowerCase());

    if (r.isDoH) {
      this.#dohServers.add(r.daddr);
      if (w.firstReport(`DOH|${r.daddr}`)) this.setEvidence(dohEvidence(r));
    }
    if (isSelfSigned(r) && w.firstReport(`SS|${r.daddr}`)) {
      for (const e of selfSignedEvidence(r)) this.setEvidence(e);
    }
    const org = impersonatedOrg(r, this.#resolutions.nameOf(r.daddr), this.#orgs);
    if (org !== undefined && w.firstReport(`IC|${r.daddr}|${org}`)) {
      this.setEvidence(incompatibleCnEvidence(r, org));
    }
    const mismatch = cnMismatch(r);
    const key = `CM|${r.daddr}|${r.serverName}`;
    // Asked once per server and name in a window; CDNs make such pairs common.
    if (mismatch !== undefined && w.firstReport(`${key}|asked`)) {
      // Without both registrants known there is no evidence (no whois offline; see docs).
      this.#track(
        Promise.all([
          this.db.cacheGet(DOMAIN_ORG_CACHE, mismatch.cnDomain),
          this.db.cacheGet(DOMAIN_ORG_CACHE, mismatch.sniDomain),
        ]).then(([cnOrg, sniOrg]) => {
          if (cnOrg === undefined || sniOrg === undefined) return;
          if (sameOrganisation(cnOrg, sniOrg) || !w.firstReport(key)) return;
          for (const e of cnMismatchEvidence(r, mismatch.cn)) this.setEvidence(e);
        }),
      );
    }
    if (isPastebin(r)) {
      this.#pastebinIps.add(r.daddr);
      const { bytes, evicted } = this.#tlsJoin.addRecord(r.uid, r, r.ts + JOIN_WAIT);
      if (bytes !== undefined) this.#decidePastebin(r, bytes);
      // Evicted records lost their chance to learn their size.
      void evicted;
    }
  }

  #decidePastebin(r: Profiled<SslRecord>, bytes: ConnBytes): void {
    if (bytes.dbytes >= this.#s.pastebinDownloadThreshold) {
      this.setEvidence(pastebinEvidence(r, bytes.dbytes));
    }
  }

  // ---- SSH, SMTP, others -------------------------------------------------------------------

  #onSsh(r: Profiled<SshRecord>): void {
    const { bytes, evicted } = this.#sshJoin.addRecord(r.uid, r, r.ts + JOIN_WAIT);
    if (bytes !== undefined) this.#decideSsh(r, bytes);
    for (const e of evicted) this.#decideSsh(e, undefined);
  }

  #decideSsh(r: Profiled<SshRecord>, bytes: ConnBytes | undefined): void {
    const verdict = sshSuccess(r, bytes, this.#s.sshSuccessfulThreshold);
    if (verdict !== undefined) this.setEvidence(sshSuccessEvidence(r, verdict, bytes));
  }

  #onSoftware(r: Profiled<SoftwareRecord>): void {
    const change = this.#sshVersions.observe(r);
    if (change !== undefined) this.setEvidence(sshVersionEvidence(r, change));
  }

  #onSmtp(r: Profiled<SmtpRecord>): void {
    if (!isBadSmtpLogin(r)) return;
    this.setEvidence(badSmtpLoginEvidence(r));
    if (this.#smtp.observe(r)) this.setEvidence(smtpBruteforceEvidence(r));
  }

  #onDhcp(r: Profiled<DhcpRecord>): void {
    if (r.serverAddr !== "" && isIp(r.serverAddr)) this.#dhcpServers.add(r.serverAddr);
    if (r.mac !== "" && r.clientAddr !== "") this.#macs.bind(r.mac, r.clientAddr, r.ts);
  }

  #onMac(m: ChannelPayloads["new_MAC"]): void {
    this.#macs.bind(m.mac, m.ip, m.ts);
  }

  #onNotice(r: Profiled<NoticeRecord>): void {
    if (!r.note.includes("Gateway_addr_identified")) return;
    // The notice's msg ends with ": <gateway IP>".
    const ip = r.msg.slice(r.msg.lastIndexOf(": ") + 2).trim();
    if (isIp(ip)) this.#gateway = ip;
  }

  // ---- windows -----------------------------------------------------------------------------

  /** The record's window; now and then, long-unused old windows are swept. */
  #window(profileid: string, twid: number): WindowState {
    const w = this.#windows.get(profileid, twid);
    if (this.#windows.sweepDue) {
      for (const old of this.#windows.releaseStale()) this.#closeWindow(old);
    }
    return w;
  }

  #onWindowClosed(ref: TimeWindowRef): void {
    const w = this.#windows.release(ref.profileid, ref.twid);
    if (w !== undefined) this.#closeWindow(w);
  }

  /** The window's final checks, then its state is gone. */
  #closeWindow(w: WindowState): void {
    const ip = w.profileid.startsWith("profile_") ? w.profileid.slice(8) : w.profileid;
    if (w.uploads !== undefined) {
      for (const [daddr, t] of windowUploads(w.uploads)) {
        const scope = `in time window ${w.twid}`;
        for (const e of uploadEvidence(ip, daddr, t.bytes, w.twid, t.lastTs, t.uids, scope)) {
          this.setEvidence(e);
        }
      }
    }
    for (const item of w.pendingDns ?? []) {
      if (item.done) continue;
      item.done = true;
      if (!this.#isDnsConnected(item, w)) {
        this.setEvidence(dnsWithoutConnectionEvidence(item.record));
      }
    }
  }

  #track(p: Promise<void>): void {
    const tracked = p.catch((err) => {
      this.print(`A shared-cache lookup failed: ${err instanceof Error ? err.message : err}`, 1, 1);
    }).finally(() => this.#lookups.delete(tracked));
    this.#lookups.add(tracked);
  }
}
