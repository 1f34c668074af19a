import assert from "node:assert/strict";
import { join } from "node:path";
import { runModule } from "../../helpers/module_harness.ts";
import ThreatIntelligence from "../../../modules/threat_intelligence/threat_intelligence.ts";
import { FeedCache } from "../../../modules/threat_intelligence/feed_cache.ts";
import { feedHosts, parseFeedList } from "../../../modules/threat_intelligence/feed_list.ts";
import { refreshFeed } from "../../../modules/threat_intelligence/feed_updater.ts";
import { conn, msg } from "./records.ts";
import { tiEnv } from "./ti_env.ts";

const IPS = "# test feed\n192.0.2.200\n198.51.100.64/26 # scanners\n";
const TOR = "203.0.113.77\n";
const ETAG = '"v1"';
const LAST_MODIFIED = "Wed, 01 May 2024 10:00:00 GMT";

interface FeedServer {
  base: string;
  /** Request headers seen per path, in order. */
  seen: { path: string; ifNoneMatch: string | null; ifModifiedSince: string | null }[];
  stop(): Promise<void>;
}

/** A real HTTP server on loopback serving two feeds with ETag and Last-Modified validators. */
function startFeedServer(): FeedServer {
  const seen: FeedServer["seen"] = [];
  const bodies: Record<string, string> = { "/ips.txt": IPS, "/tor-exits": TOR };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    const inm = req.headers.get("if-none-match");
    seen.push({ path, ifNoneMatch: inm, ifModifiedSince: req.headers.get("if-modified-since") });
    const body = bodies[path];
    if (body === undefined) return new Response("not here", { status: 404 });
    const headers = { etag: ETAG, "last-modified": LAST_MODIFIED };
    if (inm === ETAG) return new Response(null, { status: 304, headers });
    return new Response(body, { headers });
  });
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    seen,
    stop: () => server.shutdown(),
  };
}

function feedList(base: string): string {
  return `# test feeds\n${base}/ips.txt,high,['test']\n${base}/tor-exits,info,['tor']\n`;
}

Deno.test("refreshFeed: 200 fills the cache, then a conditional request gets 304", async () => {
  const srv = startFeedServer();
  try {
    const dir = await Deno.makeTempDir({ prefix: "slips-ti-cache-" });
    const cache = new FeedCache(dir);
    const [feed] = parseFeedList(feedList(srv.base), "ti").feeds;
    const first = await refreshFeed(feed, cache, { periodMs: 3_600_000 });
    assert.equal(first.status, "updated");
    assert.equal(await Deno.readTextFile(cache.dataPath(feed.url)), IPS);
    const meta = await cache.readMeta(feed.url);
    assert.equal(meta?.etag, ETAG);
    assert.equal(meta?.lastModified, LAST_MODIFIED);
    assert.equal(srv.seen[0].ifNoneMatch, null);

    // Within the update period nothing is asked.
    const fresh = await refreshFeed(feed, cache, { periodMs: 3_600_000 });
    assert.equal(fresh.status, "fresh");
    assert.equal(srv.seen.length, 1);

    // Past it, the validators go out and the server answers 304.
    const again = await refreshFeed(feed, cache, { periodMs: 0 });
    assert.equal(again.status, "not-modified");
    assert.equal(srv.seen.length, 2);
    assert.equal(srv.seen[1].ifNoneMatch, ETAG);
    assert.equal(srv.seen[1].ifModifiedSince, LAST_MODIFIED);
    assert.ok((await cache.readMeta(feed.url))!.checkedAt >= meta!.checkedAt);

    // A path the server does not have is a failure with the HTTP status, not a crash.
    const missing = await refreshFeed({ ...feed, url: `${srv.base}/gone.txt` }, cache, {
      periodMs: 0,
    });
    assert.equal(missing.status, "failed");
    assert.match(missing.detail ?? "", /HTTP 404/);
  } finally {
    await srv.stop();
  }
});

Deno.test("the module downloads feeds, detects with them, and works offline from the cache", async () => {
  const srv = startFeedServer();
  const env = tiEnv({}, { download_feeds: "yes" });
  const listPath = join(env.home, "TI_feeds.csv");
  await Deno.writeTextFile(listPath, feedList(srv.base));
  env.config.threatintelligence.ti_files = listPath;
  const flows = [
    msg.flow(conn({ daddr: "192.0.2.200", uid: "a" })),
    msg.flow(conn({ daddr: "198.51.100.70", uid: "b" })),
    msg.flow(conn({ daddr: "203.0.113.77", uid: "c" })),
  ];
  let online;
  try {
    online = await runModule(new ThreatIntelligence(), flows, env.config, { homeDir: env.home });
  } finally {
    await srv.stop();
  }
  const types = (ev: typeof online.evidence) =>
    ev.map((e) => `${e.evidenceType}@${e.profileIp}`).sort();
  const expected = [
    "THREAT_INTELLIGENCE_TO_BLACKLISTED_IP@10.0.0.5",
    "THREAT_INTELLIGENCE_TO_BLACKLISTED_IP@10.0.0.5",
    "THREAT_INTELLIGENCE_TO_BLACKLISTED_IP@192.0.2.200",
    "THREAT_INTELLIGENCE_TO_BLACKLISTED_IP@198.51.100.70",
    "TOR_EXIT_NODE@10.0.0.5",
  ];
  assert.deepEqual(types(online.evidence), expected);
  const tor = online.evidence.find((e) => e.evidenceType === "TOR_EXIT_NODE")!;
  assert.deepEqual([tor.threatLevel, tor.confidence, tor.attacker.direction], ["info", 1, "DST"]);
  const listed = online.evidence.find((e) => e.profileIp === "192.0.2.200")!;
  assert.equal(listed.threatLevel, "high");
  assert.equal(listed.attacker.enrichment?.TI, "127.0.0.1/ips.txt");
  assert.ok(!online.printed.some((p) => /Could not reach/.test(p)));

  // The cache is on disk under the permanent dir.
  const cacheDir = join(env.home, "permanent", "threat_intelligence");
  const cached = [...Deno.readDirSync(cacheDir)].map((e) => e.name).sort();
  assert.equal(cached.filter((n) => n.endsWith(".data")).length, 2);
  assert.equal(cached.filter((n) => n.endsWith(".json")).length, 2);

  // Server gone and the copies due for a refresh: one notice, detection from the cache.
  const cache = new FeedCache(cacheDir);
  for (const feed of parseFeedList(feedList(srv.base), "ti").feeds) {
    const meta = (await cache.readMeta(feed.url))!;
    await cache.writeMeta({ ...meta, checkedAt: Date.now() - 2 * 86_400_000 });
  }
  const offline = await runModule(new ThreatIntelligence(), flows, env.config, {
    homeDir: env.home,
  });
  assert.deepEqual(types(offline.evidence), expected);
  const notices = offline.printed.filter((p) => /Could not reach/.test(p));
  assert.equal(notices.length, 1);
  assert.match(notices[0], /2 of 2 threat-intelligence feeds.*cached copies/);

  // Copies not confirmed for over 7 days are left out, and the user is told.
  for (const feed of parseFeedList(feedList(srv.base), "ti").feeds) {
    const meta = (await cache.readMeta(feed.url))!;
    await cache.writeMeta({ ...meta, checkedAt: Date.now() - 8 * 86_400_000 });
  }
  const expired = await runModule(new ThreatIntelligence(), flows, env.config, {
    homeDir: env.home,
  });
  assert.equal(expired.evidence.length, 0);
  assert.ok(expired.printed.some((p) => /Left out 2 feed\(s\).*over 7 days/.test(p)));

  // With downloads off the cache is used as it is, whatever its age, and nothing is asked.
  env.config.threatintelligence.download_feeds = "no";
  const cacheOnly = await runModule(new ThreatIntelligence(), flows, env.config, {
    homeDir: env.home,
  });
  assert.deepEqual(types(cacheOnly.evidence), expected);
  assert.ok(!cacheOnly.printed.some((p) => /Could not reach|Left out/.test(p)));
});

Deno.test("without wait_for_TI_to_finish, shutdown stops a download in progress cleanly", async () => {
  // A server that never answers: the module must not hang or leak at shutdown.
  const hold = Promise.withResolvers<void>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async () => {
    await hold.promise;
    return new Response("1.2.3.4\n");
  });
  try {
    const env = tiEnv({}, { wait_for_TI_to_finish: "no", download_feeds: "yes" });
    const listPath = join(env.home, "TI_feeds.csv");
    await Deno.writeTextFile(listPath, `http://127.0.0.1:${server.addr.port}/slow.txt,high,[]\n`);
    env.config.threatintelligence.ti_files = listPath;
    const { evidence } = await runModule(
      new ThreatIntelligence(),
      [
        msg.flow(conn({ daddr: "1.2.3.4" })),
      ],
      env.config,
      { homeDir: env.home },
    );
    assert.equal(evidence.length, 0);
  } finally {
    hold.resolve();
    await server.shutdown();
  }
});

Deno.test("the declared net permission covers exactly the hosts of the shipped feed lists", async () => {
  const hosts = new Set<string>();
  for (
    const [file, target] of [["TI_feeds.csv", "ti"], ["JA3_feeds.csv", "ja3"], [
      "SSL_feeds.csv",
      "ssl",
    ]] as const
  ) {
    const text = await Deno.readTextFile(new URL(`../../../config/${file}`, import.meta.url));
    for (const h of feedHosts(parseFeedList(text, target).feeds)) hosts.add(h);
  }
  const declared = new ThreatIntelligence().permissions;
  assert.deepEqual([...hosts].sort(), declared.net);
  assert.deepEqual(declared.write, ["permanent/threat_intelligence"]);
  assert.ok(declared.read?.includes("config/local_ti_files"));
});
