/**
 * Storage of the Redis backend: hashes and lists under the run's key prefix (see redis_keys.ts),
 * so every process using the same server and prefix sees the same profiles, evidence and counters.
 */
import type { Storage } from "./database.ts";
import type { Evidence } from "../evidence/evidence.ts";
import type { Alert, ProfileInfo, TimeWindowInfo } from "./storage_types.ts";
import type { RedisLink } from "./redis_connection.ts";
import { type RedisKeys, windowField } from "./redis_keys.ts";

export class RedisStorage implements Storage {
  constructor(
    protected readonly link: RedisLink,
    protected readonly keys: RedisKeys,
    private readonly announceEvidence: (evidence: Evidence) => Promise<void>,
  ) {}

  addProfile(ip: string, firstSeen: number): Promise<boolean> {
    return this.link.run(async (c) =>
      await c.hSetNX(this.keys.profiles, ip, String(firstSeen)) === 1
    );
  }

  async getProfile(ip: string): Promise<ProfileInfo | undefined> {
    const [firstSeen, fields] = await this.link.run((c) =>
      Promise.all([c.hGet(this.keys.profiles, ip), c.hGetAll(this.keys.profileFields(ip))])
    );
    if (firstSeen === null || firstSeen === undefined) return undefined;
    return { ip, firstSeen: Number(firstSeen), fields: { ...fields } };
  }

  async setProfileField(ip: string, field: string, value: string): Promise<void> {
    // Like the embedded backend: a fact about an unknown IP creates its profile, first seen at 0.
    await this.link.run((c) =>
      Promise.all([
        c.hSetNX(this.keys.profiles, ip, "0"),
        c.hSet(this.keys.profileFields(ip), field, value),
      ])
    );
  }

  profileCount(): Promise<number> {
    return this.link.run((c) => c.hLen(this.keys.profiles));
  }

  profiles(): Promise<string[]> {
    return this.link.run((c) => c.hKeys(this.keys.profiles));
  }

  async addTimeWindow(tw: TimeWindowInfo): Promise<void> {
    const value = JSON.stringify({ ...tw });
    await this.link.run((c) =>
      c.hSet(this.keys.timeWindows, windowField(tw.profileIp, tw.twid), value)
    );
  }

  async getTimeWindow(profileIp: string, twid: number): Promise<TimeWindowInfo | undefined> {
    const raw = await this.link.run((c) =>
      c.hGet(this.keys.timeWindows, windowField(profileIp, twid))
    );
    return raw ? JSON.parse(raw) as TimeWindowInfo : undefined;
  }

  async closeTimeWindow(profileIp: string, twid: number): Promise<void> {
    const field = windowField(profileIp, twid);
    // Evidence and alerts stay for reports; the window itself and its running score go.
    await this.link.run((c) =>
      Promise.all([c.hDel(this.keys.timeWindows, field), c.hDel(this.keys.threat, field)])
    );
  }

  async addEvidence(evidence: Evidence): Promise<boolean> {
    const key = this.keys.evidence(evidence.profileIp, evidence.twid);
    const added = await this.link.run((c) => c.hSetNX(key, evidence.id, JSON.stringify(evidence)));
    if (added !== 1) return false;
    await this.announceEvidence(evidence);
    return true;
  }

  async getEvidence(profileIp: string, twid: number): Promise<Evidence[]> {
    const raw = await this.link.run((c) => c.hVals(this.keys.evidence(profileIp, twid)));
    // Hash order is not insertion order once a hash grows; flow time is the useful order anyway.
    return raw.map((r) => JSON.parse(r) as Evidence).sort((a, b) => a.ts - b.ts);
  }

  async deleteEvidence(profileIp: string, twid: number, id: string): Promise<void> {
    await this.link.run((c) => c.hDel(this.keys.evidence(profileIp, twid), id));
  }

  async getAccumulatedThreat(profileIp: string, twid: number): Promise<number> {
    const raw = await this.link.run((c) => c.hGet(this.keys.threat, windowField(profileIp, twid)));
    return raw ? Number(raw) : 0;
  }

  async setAccumulatedThreat(profileIp: string, twid: number, value: number): Promise<void> {
    await this.link.run((c) =>
      c.hSet(this.keys.threat, windowField(profileIp, twid), String(value))
    );
  }

  async addAlert(alert: Alert): Promise<void> {
    await this.link.run((c) => c.rPush(this.keys.alerts, JSON.stringify(alert)));
  }

  async alerts(): Promise<Alert[]> {
    const raw = await this.link.run((c) => c.lRange(this.keys.alerts, 0, -1));
    return raw.map((r) => JSON.parse(r) as Alert);
  }

  async cacheSet(namespace: string, key: string, value: string): Promise<void> {
    await this.link.run((c) => c.hSet(this.keys.cache(namespace), key, value));
  }

  async cacheGet(namespace: string, key: string): Promise<string | undefined> {
    const v = await this.link.run((c) => c.hGet(this.keys.cache(namespace), key));
    return v ?? undefined;
  }

  async cacheDelete(namespace: string, key: string): Promise<void> {
    await this.link.run((c) => c.hDel(this.keys.cache(namespace), key));
  }

  async incr(counter: string, by = 1): Promise<number> {
    if (Number.isInteger(by)) {
      return await this.link.run((c) => c.hIncrBy(this.keys.counters, counter, by));
    }
    const v = await this.link.run((c) => c.hIncrByFloat(this.keys.counters, counter, by));
    return Number(v);
  }

  async counter(counter: string): Promise<number> {
    const v = await this.link.run((c) => c.hGet(this.keys.counters, counter));
    return v ? Number(v) : 0;
  }
}
