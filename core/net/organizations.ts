/**
 * The five large organisations Slips knows by name (google, microsoft, apple, facebook,
 * twitter): their domains, address ranges and AS numbers. Used to recognise their servers where a
 * detection would otherwise blame ordinary use of their services (certificates naming them,
 * connections without DNS, ports their software uses) and by the `organization` whitelist type.
 * The data are public registry facts (RIR allocations, AS numbers) and the organisations' own
 * service domains; they are not exhaustive, so a miss means "not known to be", never "is not".
 */
import ipaddr from "ipaddr.js";
import { isIpv4 } from "./ip.ts";
import { ipv4ToInt } from "./local_network.ts";

export type OrgName = "google" | "microsoft" | "apple" | "facebook" | "twitter";

export interface Organization {
  name: OrgName;
  /** Registered domains the organisation serves from; subdomains belong to it too. */
  domains: readonly string[];
  /** IPv4 and IPv6 CIDRs allocated to it. */
  ranges: readonly string[];
  asns: readonly number[];
}

export const ORGANIZATIONS: readonly Organization[] = [
  {
    name: "google",
    domains: [
      "google.com",
      "googleapis.com",
      "gstatic.com",
      "googleusercontent.com",
      "googlevideo.com",
      "youtube.com",
      "ytimg.com",
      "youtu.be",
      "ggpht.com",
      "gmail.com",
      "doubleclick.net",
      "googlesyndication.com",
      "googleadservices.com",
      "google-analytics.com",
      "googletagmanager.com",
      "googletagservices.com",
      "gvt1.com",
      "gvt2.com",
      "gvt3.com",
      "android.com",
      "1e100.net",
      "withgoogle.com",
      "googledomains.com",
      "appspot.com",
      "firebaseio.com",
      "app-measurement.com",
      "crashlytics.com",
      "chrome.com",
      "chromium.org",
      "gmodules.com",
      "googlezip.net",
      "recaptcha.net",
      "blogger.com",
      "blogspot.com",
      "goo.gl",
      "g.co",
      "dns.google",
    ],
    ranges: [
      "8.8.4.0/24",
      "8.8.8.0/24",
      "8.34.208.0/20",
      "8.35.192.0/20",
      "23.236.48.0/20",
      "23.251.128.0/19",
      "34.64.0.0/10",
      "35.184.0.0/13",
      "35.192.0.0/12",
      "35.208.0.0/12",
      "35.224.0.0/12",
      "35.240.0.0/13",
      "64.233.160.0/19",
      "66.102.0.0/20",
      "66.249.64.0/19",
      "70.32.128.0/19",
      "72.14.192.0/18",
      "74.114.24.0/21",
      "74.125.0.0/16",
      "104.154.0.0/15",
      "104.196.0.0/14",
      "107.167.160.0/19",
      "107.178.192.0/18",
      "108.59.80.0/20",
      "108.170.192.0/18",
      "108.177.0.0/17",
      "130.211.0.0/16",
      "136.112.0.0/12",
      "142.250.0.0/15",
      "146.148.0.0/17",
      "162.216.148.0/22",
      "162.222.176.0/21",
      "172.110.32.0/21",
      "172.217.0.0/16",
      "172.253.0.0/16",
      "173.194.0.0/16",
      "173.255.112.0/20",
      "192.158.28.0/22",
      "192.178.0.0/15",
      "199.36.154.0/23",
      "199.192.112.0/22",
      "199.223.232.0/21",
      "203.208.32.0/19",
      "207.223.160.0/20",
      "208.65.152.0/22",
      "208.68.108.0/22",
      "208.81.188.0/22",
      "208.117.224.0/19",
      "209.85.128.0/17",
      "216.58.192.0/19",
      "216.73.80.0/20",
      "216.239.32.0/19",
      "2001:4860::/32",
      "2404:6800::/32",
      "2404:f340::/32",
      "2600:1900::/28",
      "2607:f8b0::/32",
      "2620:0:1000::/40",
      "2620:11a:a000::/40",
      "2800:3f0::/32",
      "2a00:1450::/32",
      "2c0f:fb50::/32",
    ],
    asns: [15169, 19527, 36040, 36384, 36492, 43515, 139070, 396982],
  },
  {
    name: "microsoft",
    domains: [
      "microsoft.com",
      "microsoftonline.com",
      "microsoftonline-p.com",
      "live.com",
      "live.net",
      "outlook.com",
      "hotmail.com",
      "office.com",
      "office.net",
      "office365.com",
      "msn.com",
      "bing.com",
      "bing.net",
      "windows.com",
      "windows.net",
      "windowsupdate.com",
      "azure.com",
      "azure.net",
      "azureedge.net",
      "azurewebsites.net",
      "azurefd.net",
      "msedge.net",
      "msecnd.net",
      "skype.com",
      "skypeassets.com",
      "xbox.com",
      "xboxlive.com",
      "msftncsi.com",
      "msftconnecttest.com",
      "sharepoint.com",
      "onedrive.com",
      "onenote.com",
      "s-microsoft.com",
      "trafficmanager.net",
      "visualstudio.com",
      "microsoftstore.com",
      "msauth.net",
      "msftauth.net",
      "lync.com",
      "teams.microsoft.com",
      "aka.ms",
      "sfx.ms",
      "gfx.ms",
      "msocsp.com",
      "dynamics.com",
      "powerbi.com",
      "cloudapp.net",
      "aspnetcdn.com",
    ],
    ranges: [
      "13.64.0.0/11",
      "13.96.0.0/13",
      "13.104.0.0/14",
      "20.0.0.0/8",
      "23.96.0.0/13",
      "40.64.0.0/10",
      "40.125.0.0/17",
      "51.4.0.0/15",
      "51.8.0.0/16",
      "51.10.0.0/15",
      "51.103.0.0/16",
      "51.104.0.0/15",
      "51.124.0.0/16",
      "51.132.0.0/16",
      "51.136.0.0/15",
      "51.140.0.0/14",
      "52.96.0.0/12",
      "52.112.0.0/14",
      "52.120.0.0/14",
      "52.125.0.0/16",
      "52.136.0.0/13",
      "52.145.0.0/16",
      "52.146.0.0/15",
      "52.148.0.0/14",
      "52.152.0.0/13",
      "52.160.0.0/11",
      "52.224.0.0/11",
      "64.4.0.0/18",
      "65.52.0.0/14",
      "70.37.0.0/17",
      "94.245.64.0/18",
      "104.40.0.0/13",
      "104.208.0.0/13",
      "111.221.64.0/18",
      "131.253.0.0/16",
      "132.245.0.0/16",
      "134.170.0.0/16",
      "137.116.0.0/15",
      "137.135.0.0/16",
      "138.91.0.0/16",
      "157.54.0.0/15",
      "157.56.0.0/14",
      "157.60.0.0/16",
      "168.61.0.0/16",
      "168.62.0.0/15",
      "191.232.0.0/13",
      "199.30.16.0/20",
      "204.79.195.0/24",
      "204.79.197.0/24",
      "207.46.0.0/16",
      "2603:1000::/24",
      "2620:1ec::/36",
      "2a01:110::/31",
      "2a01:111::/32",
    ],
    asns: [3598, 6584, 8068, 8069, 8070, 8071, 8075, 12076],
  },
  {
    name: "apple",
    domains: [
      "apple.com",
      "icloud.com",
      "icloud-content.com",
      "mzstatic.com",
      "apple-cloudkit.com",
      "cdn-apple.com",
      "aaplimg.com",
      "apple.news",
      "itunes.com",
      "me.com",
      "mac.com",
      "apple-dns.net",
      "apple-dns.cn",
      "apple-livephotoskit.com",
      "appleiphonecell.com",
      "apple-mapkit.com",
      "applemusic.com",
      "apple.co",
      "icloud.com.cn",
      "safebrowsing.apple",
    ],
    ranges: [
      "17.0.0.0/8",
      "63.92.224.0/19",
      "192.35.50.0/24",
      "198.183.17.0/24",
      "2620:149::/32",
      "2a01:b740::/32",
    ],
    asns: [714, 6185, 2709],
  },
  {
    name: "facebook",
    domains: [
      "facebook.com",
      "facebook.net",
      "fbcdn.net",
      "fb.com",
      "fb.me",
      "fbsbx.com",
      "instagram.com",
      "cdninstagram.com",
      "whatsapp.com",
      "whatsapp.net",
      "messenger.com",
      "meta.com",
      "oculus.com",
      "oculuscdn.com",
      "m.me",
      "wa.me",
      "threads.net",
    ],
    ranges: [
      "31.13.24.0/21",
      "31.13.64.0/18",
      "45.64.40.0/22",
      "57.141.0.0/16",
      "57.144.0.0/14",
      "66.220.144.0/20",
      "69.63.176.0/20",
      "69.171.224.0/19",
      "74.119.76.0/22",
      "102.132.96.0/20",
      "103.4.96.0/22",
      "129.134.0.0/16",
      "147.75.208.0/20",
      "157.240.0.0/16",
      "163.70.128.0/17",
      "173.252.64.0/18",
      "179.60.192.0/22",
      "185.60.216.0/22",
      "185.89.216.0/22",
      "204.15.20.0/22",
      "2620:0:1c00::/40",
      "2a03:2880::/32",
    ],
    asns: [32934, 54115, 63293],
  },
  {
    name: "twitter",
    domains: [
      "twitter.com",
      "twimg.com",
      "t.co",
      "x.com",
      "twttr.com",
      "periscope.tv",
      "pscp.tv",
      "tweetdeck.com",
    ],
    ranges: [
      "69.195.160.0/19",
      "104.244.40.0/21",
      "185.45.4.0/22",
      "192.133.76.0/22",
      "199.16.156.0/22",
      "199.59.148.0/22",
      "199.96.56.0/21",
      "2a04:9d40::/29",
    ],
    asns: [13414, 35995, 63179],
  },
];

interface V4Range {
  start: number;
  end: number;
  org: OrgName;
}

const v4: V4Range[] = [];
const v6: { range: [ipaddr.IPv6, number]; org: OrgName }[] = [];
for (const o of ORGANIZATIONS) {
  for (const cidr of o.ranges) {
    const [net, bits] = cidr.split("/");
    if (isIpv4(net)) {
      const size = 2 ** (32 - Number(bits));
      const start = ipv4ToInt(net);
      v4.push({ start, end: start + size - 1, org: o.name });
    } else {
      v6.push({ range: [ipaddr.IPv6.parse(net), Number(bits)], org: o.name });
    }
  }
}

const ipCache = new Map<string, OrgName | null>();
const MAX_CACHE = 50_000;

/** The organisation whose address ranges hold `ip`, or undefined. */
export function orgOfIp(ip: string): OrgName | undefined {
  const hit = ipCache.get(ip);
  if (hit !== undefined) return hit ?? undefined;
  let org: OrgName | null = null;
  const n = ipv4ToInt(ip);
  if (n >= 0) {
    for (const r of v4) {
      if (n >= r.start && n <= r.end) {
        org = r.org;
        break;
      }
    }
  } else if (ipaddr.IPv6.isValid(ip)) {
    const a = ipaddr.IPv6.parse(ip);
    for (const r of v6) {
      if (a.match(r.range)) {
        org = r.org;
        break;
      }
    }
  }
  if (ipCache.size >= MAX_CACHE) ipCache.clear();
  ipCache.set(ip, org);
  return org ?? undefined;
}

/** The organisation a domain (or any of its parents) belongs to, or undefined. */
export function orgOfDomain(domain: string): OrgName | undefined {
  let d = domain.toLowerCase();
  if (d.endsWith(".")) d = d.slice(0, -1);
  for (const o of ORGANIZATIONS) {
    for (const od of o.domains) {
      if (
        d === od || (d.length > od.length && d.endsWith(od) && d[d.length - od.length - 1] === ".")
      ) {
        return o.name;
      }
    }
  }
  // Country variants of the main site (google.co.uk, microsoft.de, …) carry the name as a label.
  for (const o of ORGANIZATIONS) {
    if (d === `${o.name}.com`) return o.name;
    const at = d.indexOf(`${o.name}.`);
    if (at === 0 || (at > 0 && d[at - 1] === ".")) {
      const rest = d.slice(at + o.name.length + 1);
      // Only a public suffix may follow the name: one or two short labels (co.uk, com.br, de).
      const labels = rest.split(".");
      if (labels.length <= 2 && labels.every((l) => l.length >= 2 && l.length <= 3)) return o.name;
    }
  }
  return undefined;
}

export function isOrgName(s: string): s is OrgName {
  return ORGANIZATIONS.some((o) => o.name === s);
}
