// The theme's search.js under Node, for tests/test_search.py, tests/test_folding.py and
// benchmarks/search.py. Reads a JSON request on stdin:
//   {"fold": [texts]} → {"fold": [folded], "words": [[written, folded]], "shards": [of 4,096]}
//   {"excerpt": [[text, query]]} → {"excerpt": [[[piece, marked]]]}
//   {"index": folder, "queries": [[q, filters]], "loads": bool}
//     → {"results": [{"urls" (unless loads), "ids", "loaded" (the shards), "unknown", "named"}]}
"use strict";
const fs = require("fs");
const path = require("path");
const search = require(process.argv[2]);

const request = JSON.parse(fs.readFileSync(0, "utf8"));
const answer = {};
if (request.fold) {
  answer.fold = request.fold.map(search.fold);
  answer.words = request.fold.map((text) => { const w = search.words(text); return [w.written, w.folded]; });
  answer.shards = request.fold.map((text) => search.shardOf(text, 4096));
}
if (request.excerpt) {
  answer.excerpt = request.excerpt.map(([text, query]) => search.excerpt(text, search.words(query).folded, 30));
}
let loaded = [];
function load(name) {
  loaded.push(name);
  return Promise.resolve(JSON.parse(fs.readFileSync(path.join(request.index, name), "utf8")));
}
(async () => {
  if (request.queries) {
    const meta = await load("meta.json");
    answer.results = [];
    for (const [query, filters] of request.queries) {
      const plan = search.parse(meta, query, filters || {});
      loaded = [];
      const found = await search.run(meta, plan, load);
      const shards = loaded;
      const urls = [];
      if (!request.loads) for (const id of found.ids) urls.push((await load(`bai/${id}.json`)).u);
      answer.results.push({
        urls, ids: found.ids, loaded: shards, unknown: found.unknown, named: plan.named.map((n) => n.term[1]),
      });
    }
  }
  process.stdout.write(JSON.stringify(answer));
})();
