/**
 * Offline user-agent parsing: the operating system and browser a User-Agent header claims.
 * Slips asks an online service for this; we read the string ourselves so analysis never waits
 * on the network and works air-gapped. Only the facts detections use are extracted.
 */

/** The OS families the user-agent checks compare against a host's MAC vendor. */
export type OsFamily = "windows" | "apple" | "android" | "chromeos" | "linux" | "";

export interface UserAgentInfo {
  /** The OS kind: "Windows", "Mac OS X", "iOS", "Android", "Chrome OS", "Linux", or "". */
  osType: string;
  /** The OS with its version when the string gives one, e.g. "Windows 10", "iOS 14.2". */
  osName: string;
  family: OsFamily;
  /** Browser or client program: "Chrome", "Safari", "Firefox", "curl", …, or "". */
  browser: string;
  browserVersion: string;
}

const WINDOWS_NT: Record<string, string> = {
  "5.0": "2000",
  "5.1": "XP",
  "5.2": "XP",
  "6.0": "Vista",
  "6.1": "7",
  "6.2": "8",
  "6.3": "8.1",
  "10.0": "10",
};

function os(ua: string): Pick<UserAgentInfo, "osType" | "osName" | "family"> {
  let m: RegExpMatchArray | null;
  // Windows Phone before Windows and Android: its strings also mention both.
  if ((m = ua.match(/Windows Phone(?: OS)? ?([\d.]+)?/i))) {
    return {
      osType: "Windows Phone",
      osName: `Windows Phone ${m[1] ?? ""}`.trim(),
      family: "windows",
    };
  }
  if ((m = ua.match(/Windows NT ([\d.]+)/i))) {
    const v = WINDOWS_NT[m[1]];
    return {
      osType: "Windows",
      osName: v ? `Windows ${v}` : `Windows NT ${m[1]}`,
      family: "windows",
    };
  }
  if (
    /Windows|Win64|Win32|WinHttp|^Microsoft[- ]/i.test(ua)
  ) {
    return { osType: "Windows", osName: "Windows", family: "windows" };
  }
  // iOS before macOS: iPhone strings say "like Mac OS X".
  if ((m = ua.match(/(?:iPhone|iPad|iPod)(?:.*?OS ([\d_]+))?/i))) {
    const v = m[1]?.replace(/_/g, ".");
    return { osType: "iOS", osName: v ? `iOS ${v}` : "iOS", family: "apple" };
  }
  if ((m = ua.match(/Mac OS X ?([\d_.]+)?/i))) {
    const v = m[1]?.replace(/_/g, ".");
    return { osType: "Mac OS X", osName: v ? `Mac OS X ${v}` : "Mac OS X", family: "apple" };
  }
  if (/Macintosh|Darwin|CFNetwork/i.test(ua)) {
    return { osType: "Mac OS X", osName: "Mac OS X", family: "apple" };
  }
  // Android before Linux: its strings also say "Linux".
  if ((m = ua.match(/Android ?([\d.]+)?/i))) {
    return { osType: "Android", osName: `Android ${m[1] ?? ""}`.trim(), family: "android" };
  }
  if (/Dalvik/i.test(ua)) return { osType: "Android", osName: "Android", family: "android" };
  if (/CrOS/.test(ua)) return { osType: "Chrome OS", osName: "Chrome OS", family: "chromeos" };
  if ((m = ua.match(/Ubuntu|Fedora|Debian|Linux|X11/i))) {
    const name = m[0] === "X11" ? "Linux" : m[0];
    return { osType: "Linux", osName: name, family: "linux" };
  }
  return { osType: "", osName: "", family: "" };
}

/** Browsers in the order they must be tried: Chromium forks also claim Chrome and Safari. */
const BROWSERS: [RegExp, string][] = [
  [/\bEdge?\/([\d.]+)/, "Edge"],
  [/EdgA\/([\d.]+)|EdgiOS\/([\d.]+)/, "Edge"],
  [/OPR\/([\d.]+)|Opera[/ ]([\d.]+)/, "Opera"],
  [/SamsungBrowser\/([\d.]+)/, "Samsung Internet"],
  [/YaBrowser\/([\d.]+)/, "Yandex Browser"],
  [/Vivaldi\/([\d.]+)/, "Vivaldi"],
  [/(?:Chrome|Chromium|CriOS)\/([\d.]+)/, "Chrome"],
  [/(?:Firefox|FxiOS)\/([\d.]+)/, "Firefox"],
  [/MSIE ([\d.]+)|Trident\/.*rv:([\d.]+)/, "Internet Explorer"],
  [/Version\/([\d.]+).*Safari\//, "Safari"],
  [/^curl\/([\d.]+)/i, "curl"],
  [/^Wget\/([\d.]+)/i, "Wget"],
  [/python-requests\/([\d.]+)/i, "python-requests"],
  [/Python-urllib\/([\d.]+)/i, "Python-urllib"],
  [/Go-http-client\/([\d.]+)/i, "Go-http-client"],
  [/okhttp\/([\d.]+)/i, "okhttp"],
  [/libwww-perl\/([\d.]+)/i, "libwww-perl"],
  [/^Java\/([\d.]+)/i, "Java"],
];

function browser(ua: string): Pick<UserAgentInfo, "browser" | "browserVersion"> {
  for (const [re, name] of BROWSERS) {
    const m = ua.match(re);
    if (m) return { browser: name, browserVersion: m.slice(1).find((x) => x !== undefined) ?? "" };
  }
  // Safari without a Version/ token (WebKit views) is still Safari.
  if (/Safari\//.test(ua) && /AppleWebKit/.test(ua)) {
    return { browser: "Safari", browserVersion: "" };
  }
  // Otherwise the leading product token names the client, e.g. "Microsoft-CryptoAPI/10.0".
  const m = ua.match(/^([A-Za-z][\w.-]*)(?:\/([\w.]+))?/);
  if (m && m[1] !== "Mozilla") return { browser: m[1], browserVersion: m[2] ?? "" };
  return { browser: "", browserVersion: "" };
}

/** What a User-Agent string says about the client's OS and browser; empty fields when unknown. */
export function parseUserAgent(ua: string): UserAgentInfo {
  const s = ua.trim();
  if (s === "" || s === "-") {
    return { osType: "", osName: "", family: "", browser: "", browserVersion: "" };
  }
  return { ...os(s), ...browser(s) };
}
