// Times Pagefind's search in Node over the same queries as scripts/querytime, importing the
// generated pagefind.js directly (Pagefind's Node API only indexes). Usage:
//   node scripts/peer-search.mjs public/pagefind queries.txt 50 topic-value
import { readFile } from "node:fs/promises";
import { pathToFileURL, fileURLToPath } from "node:url";
import path from "node:path";

const bundleDir = path.resolve(process.argv[2]);
const queries = (await readFile(process.argv[3], "utf8")).split("\n").map(s => s.trim()).filter(Boolean);
const iters = Number(process.argv[4] ?? 50);
const topic = process.argv[5];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const u = typeof input === "string" ? input : (input.url ?? String(input));
  if (u.startsWith("file:")) return new Response(await readFile(fileURLToPath(u)), { status: 200 });
  return realFetch(input, init);
};
const t0 = performance.now();
const pagefind = await import(pathToFileURL(path.join(bundleDir, "pagefind.js")).href);
await pagefind.options({ basePath: pathToFileURL(bundleDir).href + "/", baseUrl: "/" });
await pagefind.init();
const initMs = performance.now() - t0;
const filters = topic ? { topic: { any: [topic] } } : {};
const times = [];
const start = performance.now();
for (let i = 0; i < iters; i++) {
  for (const q of queries) {
    const s = performance.now();
    const r = await pagefind.search(q, { filters });
    await Promise.all(r.results.slice(0, 5).map(x => x.data()));
    times.push(performance.now() - s);
  }
}
const total = performance.now() - start;
times.sort((a, b) => a - b);
const pct = p => times[Math.floor(p * (times.length - 1))];
console.log(`queries=${queries.length} runs=${times.length} init_ms=${initMs.toFixed(1)} p50_ms=${pct(0.5).toFixed(3)} p95_ms=${pct(0.95).toFixed(3)} p99_ms=${pct(0.99).toFixed(3)} mean_ms=${(total / times.length).toFixed(3)}`);
