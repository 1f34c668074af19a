/** The committed fixtures are exactly what tools/gen_fixtures_input.ts writes. */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";
import { renderInputFixtures } from "../../tools/gen_fixtures_input.ts";
import { FIXTURES } from "./helpers.ts";

async function listFiles(dir: string, out: string[] = []): Promise<string[]> {
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) await listFiles(p, out);
    else out.push(relative(FIXTURES, p));
  }
  return out;
}

Deno.test("fixtures: tests/fixtures/input matches its generator", async () => {
  const want = renderInputFixtures();
  const have = (await listFiles(FIXTURES)).sort();
  assert.deepEqual(have, [...want.keys()].sort(), "run: deno run -A tools/gen_fixtures_input.ts");
  for (const [rel, content] of want) {
    const disk = await Deno.readFile(join(FIXTURES, rel));
    // Compressed bytes may differ between zlib versions; what they hold may not.
    const plain = (b: Uint8Array) => rel.endsWith(".gz") ? new Uint8Array(gunzipSync(b)) : b;
    assert.deepEqual(plain(disk), plain(content), `${rel} differs; regenerate the fixtures`);
  }
});
