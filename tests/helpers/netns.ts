/**
 * Two network namespaces joined by a veth pair, for tests that need real traffic on a real
 * interface: 10.231.x.0/24 addresses, no route anywhere else, removed by `remove()`.
 */
export interface VethPair {
  nsA: string;
  nsB: string;
  vethA: string;
  vethB: string;
  /** Address on the A side (the client) and on the B side (the server). */
  client: string;
  server: string;
  remove(): Promise<void>;
}

export async function runChecked(cmd: string[]): Promise<string> {
  const out = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`${cmd.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/** `prefix` keeps concurrent tests apart (names are short: interface names allow 15 bytes). */
export async function createVethPair(prefix: string): Promise<VethPair> {
  const tag = `${Deno.pid % 1000}${Math.floor(Math.random() * 1000)}`;
  const nsA = `${prefix}A${tag}`;
  const nsB = `${prefix}B${tag}`;
  const vethA = `${prefix.toLowerCase()}a${tag}`.slice(0, 15);
  const vethB = `${prefix.toLowerCase()}b${tag}`.slice(0, 15);
  const net = `10.231.${1 + Math.floor(Math.random() * 250)}`;
  const pair: VethPair = {
    nsA,
    nsB,
    vethA,
    vethB,
    client: `${net}.1`,
    server: `${net}.2`,
    remove: async () => {
      await runChecked(["ip", "netns", "del", nsA]).catch(() => {});
      await runChecked(["ip", "netns", "del", nsB]).catch(() => {});
    },
  };
  try {
    await runChecked(["ip", "netns", "add", nsA]);
    await runChecked(["ip", "netns", "add", nsB]);
    await runChecked([
      "ip",
      "link",
      "add",
      vethA,
      "netns",
      nsA,
      "type",
      "veth",
      "peer",
      "name",
      vethB,
      "netns",
      nsB,
    ]);
    for (const [ns, dev, addr] of [[nsA, vethA, pair.client], [nsB, vethB, pair.server]]) {
      await runChecked(["ip", "-n", ns, "addr", "add", `${addr}/24`, "dev", dev]);
      await runChecked(["ip", "-n", ns, "link", "set", dev, "up"]);
      await runChecked(["ip", "-n", ns, "link", "set", "lo", "up"]);
    }
  } catch (err) {
    await pair.remove();
    throw err;
  }
  return pair;
}
