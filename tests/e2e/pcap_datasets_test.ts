/**
 * The Slips pcaps through the whole program, with our own packet engine (no Zeek): each runs to
 * the end without errors and gives the evidence its capture is known for.
 */
import assert from "node:assert/strict";
import { SLIPS_DATA } from "../helpers/datasets.ts";
import { runSlips } from "../helpers/run_slips.ts";

const CASES: { file: string; expect: string[] }[] = [
  { file: "test7-malicious.pcap", expect: ["HORIZONTAL_PORT_SCAN"] },
  { file: "test8-malicious.pcap", expect: ["ARP_SCAN"] },
  { file: "test12-icmp-portscan.pcap", expect: ["ICMP_ADDRESS_SCAN"] },
  { file: "test19-malicious-ssh/malicious-ssh-bruteforce.pcap", expect: ["PASSWORD_GUESSING"] },
  { file: "test-cc/test-cc-capture-1.pcap", expect: [] },
  { file: "test-cc/test-cc-capture-2.pcap", expect: ["DGA_NXDOMAINS"] },
];

for (const c of CASES) {
  Deno.test(`pcap ${c.file}: runs without Zeek and finds ${c.expect.join(", ") || "its flows"}`, async () => {
    const r = await runSlips(["-f", `${SLIPS_DATA}/${c.file}`, "-v", "0"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.errorsLog, "");
    assert.match(r.stdout, /Total analyzed IPs: [1-9]/);
    const types = new Set(
      r.alertsJson.filter((a) => a.Status === "Event").map((a) =>
        JSON.parse(String(a.Note)).evidence_type as string
      ),
    );
    for (const t of c.expect) assert.ok(types.has(t), `${t} missing; got ${[...types].join(", ")}`);
    Deno.removeSync(r.outDir, { recursive: true });
  });
}

Deno.test("--write-zeek-logs writes Zeek TSV logs that read back as the same flows", async () => {
  const r = await runSlips([
    "-f",
    `${SLIPS_DATA}/test19-malicious-ssh/malicious-ssh-bruteforce.pcap`,
    "-v",
    "0",
    "--write-zeek-logs",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const dir = `${r.outDir}/zeek_files`;
  const back = await runSlips(["-f", dir, "-v", "0"]);
  assert.equal(back.code, 0, back.stderr);
  const flows = (s: string) => Number(s.match(/flows: (\d+)/)?.[1]);
  assert.equal(flows(back.stdout), flows(r.stdout));
  Deno.removeSync(r.outDir, { recursive: true });
  Deno.removeSync(back.outDir, { recursive: true });
});
