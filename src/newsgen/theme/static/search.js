/* newsgen theme: the search page. It reads, in the browser, the index the build made of every
   published article (tim-kiem/chi-muc/, see newsgen/outputs/search.py): nothing is asked of a
   server or of another site. The same file runs under Node in newsgen's tests, which load it
   with require() and compare its folding and its ranking with what they expect. */
(function (factory) {
  "use strict";
  var search = factory();
  if (typeof module === "object" && module.exports) module.exports = search;
  else if (typeof document !== "undefined") search.page(document, window);
})(function () {
  "use strict";

  var FORMAT = 2;  // of the index's files: outputs/search.py's FORMAT
  var K1 = 1.2;  // BM25: how soon more of a word stops counting
  var QUARTERS = 4;  // weights are whole quarters
  var DIGEST = 8;  // characters of a shard's digest, in its name and in meta.json

  // As newsgen/text/folding.py's fold(), character for character: no case, tone or letter marks.
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]+/g, "").replace(/[đð]/g, "d");
  }

  // As text/vietnamese.py's same_tones(): hoá and hóa, thuỷ and thủy are one word, its tone on
  // the first vowel; not after q (quý). The letter before is matched, not looked behind: older
  // Safari cannot read a look-behind, and would not run this script at all.
  var LATE_TONE = {};
  ["oa", "oe", "uy"].forEach(function (pair) {
    "\u0300\u0301\u0303\u0309\u0323".split("").forEach(function (tone) {
      LATE_TONE[(pair + tone).normalize("NFC")] = (pair[0] + tone + pair[1]).normalize("NFC");
    });
  });
  var LATE_TONE_AT_END = new RegExp(
    "(^|[^q])(" + Object.keys(LATE_TONE).join("|") + ")(?![\\p{L}\\p{N}\\u0300-\\u036f])", "gu");
  function sameTones(text) {
    return text.replace(LATE_TONE_AT_END, function (all, before, pair) { return before + LATE_TONE[pair]; });
  }

  // As folding.py's words(): each word as written (lower case, NFC, one tone placement, marks
  // kept), and folded; words that fold to nothing (a mark on no letter) left out.
  function words(text) {
    var written = sameTones(text.toLowerCase().normalize("NFC").replace(/_/g, " "))
      .match(/[\p{L}\p{N}\u0300-\u036f]+/gu) || [];
    var folded = written.map(fold);
    return {
      written: written.filter(function (word, i) { return folded[i]; }),
      folded: folded.filter(function (word) { return word; })
    };
  }

  var CRC = [];
  for (var n = 0; n < 256; n++) {
    var c = n;
    for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    CRC[n] = c >>> 0;
  }
  // The shard that holds `term`: CRC-32 of its UTF-8 bytes, as outputs/search.py's shard_of().
  function shardOf(term, shards) {
    var bytes = new TextEncoder().encode(term);
    var crc = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) crc = CRC[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    return ((crc ^ 0xffffffff) >>> 0) & (shards - 1);
  }

  // What a query asks for: its words (folded), their pairs, the words typed with marks, the
  // provinces and themes it names (their words need not be in the text if the article has the
  // term), and the filters.
  function parse(meta, query, filters) {
    var typed = words(query);
    var tokens = typed.folded;
    var named = [];
    var covered = tokens.map(function () { return false; });
    // Longest names first: "dien bien phu" before "dien bien".
    var names = [];
    meta.terms.forEach(function (term) {
      term[4].forEach(function (key) { names.push({ term: term, words: key.split(" ") }); });
    });
    names.sort(function (a, b) { return b.words.length - a.words.length; });
    names.forEach(function (name) {
      for (var at = 0; at + name.words.length <= tokens.length; at++) {
        var fits = true;
        for (var i = 0; i < name.words.length; i++) {
          if (covered[at + i] || tokens[at + i] !== name.words[i]) { fits = false; break; }
        }
        if (!fits) continue;
        for (i = 0; i < name.words.length; i++) covered[at + i] = true;
        named.push({ term: name.term, words: tokens.slice(at, at + name.words.length) });
      }
    });
    var exact = [];
    typed.written.forEach(function (word, i) { if (word !== tokens[i]) exact.push("=" + word); });
    var pairs = [];
    for (var i = 0; i + 1 < tokens.length; i++) pairs.push(tokens[i] + " " + tokens[i + 1]);
    var required = [];  // words outside the names, and the filters' terms
    tokens.forEach(function (token, i) { if (!covered[i] && required.indexOf(token) < 0) required.push(token); });
    var filterTerms = [];
    meta.terms.forEach(function (term) {
      var wanted = term[0] === "p" ? filters.tinh : filters.chu_de;
      if (wanted && fold(wanted) === fold(term[2])) filterTerms.push("#" + term[0] + ":" + term[1]);
    });
    if (filters.tinh && !filterTerms.some(function (t) { return t.indexOf("#p:") === 0; })) filterTerms.push("#p:?");
    if (filters.chu_de && !filterTerms.some(function (t) { return t.indexOf("#t:") === 0; })) filterTerms.push("#t:?");
    if (filters.nam) filterTerms.push("#y:" + String(filters.nam).trim());
    return { tokens: tokens, required: required, named: named, pairs: pairs, exact: exact, filters: filterTerms };
  }

  function termsOf(plan) {
    var all = plan.tokens.concat(plan.pairs, plan.exact, plan.filters);
    plan.named.forEach(function (name) { all.push("#" + name.term[0] + ":" + name.term[1]); });
    return all.filter(function (term, i) { return all.indexOf(term) === i; });
  }

  // A term's entries as {id: weight}, from its shard's [gaps, weights] (or [gaps] alone).
  function entries(shard, term) {
    var found = {};
    if (!Object.prototype.hasOwnProperty.call(shard, term)) return found;  // "constructor" too
    var value = shard[term];
    var id = 0;
    value[0].forEach(function (gap, i) {
      id += gap;
      found[id] = value.length > 1 ? value[1][i] : 0;
    });
    return found;
  }

  // The ids of the articles that answer `plan`, best first (see the README's "Search"). `load`
  // gives a file of the index (a path below it) as a promise of its JSON.
  function run(meta, plan, load) {
    var terms = termsOf(plan);
    var shards = {};
    var count = meta.shards.length / DIGEST;
    terms.forEach(function (term) { shards[shardOf(term, count)] = true; });
    return Promise.all(Object.keys(shards).map(function (number) {
      var name = "s/" + number + "-" + meta.shards.substr(number * DIGEST, DIGEST) + ".json";
      return load(name).then(function (shard) { shards[number] = shard; });
    })).then(function () {
      var postings = {};
      terms.forEach(function (term) { postings[term] = entries(shards[shardOf(term, count)], term); });
      return rank(meta, plan, postings);
    });
  }

  function rank(meta, plan, postings) {
    var unknown = plan.required.filter(function (token) { return !Object.keys(postings[token]).length; });
    plan.named.forEach(function (name) {
      var tagged = Object.keys(postings["#" + name.term[0] + ":" + name.term[1]]).length;
      if (!tagged) name.words.forEach(function (word) {
        if (!Object.keys(postings[word]).length && unknown.indexOf(word) < 0) unknown.push(word);
      });
    });
    if (unknown.length) return { ids: [], unknown: unknown };
    // The candidates: those with every filter, then every required word.
    var sets = plan.filters.concat(plan.required);
    var candidates = null;
    if (sets.length) {
      sets.sort(function (a, b) { return Object.keys(postings[a]).length - Object.keys(postings[b]).length; });
      candidates = Object.keys(postings[sets[0]]).filter(function (id) {
        return sets.every(function (term) { return id in postings[term]; });
      });
    }
    plan.named.forEach(function (name) {  // the term, or all of its words in the text
      var tag = postings["#" + name.term[0] + ":" + name.term[1]];
      var either = {};
      Object.keys(tag).forEach(function (id) { either[id] = true; });
      var first = postings[name.words[0]];
      Object.keys(first).forEach(function (id) {
        if (name.words.every(function (word) { return id in postings[word]; })) either[id] = true;
      });
      candidates = (candidates || Object.keys(either)).filter(function (id) { return either[id]; });
    });
    candidates = candidates || [];
    var dates = [];
    var date = 0;
    meta.dates.forEach(function (gap) { date += gap; dates.push(date); });
    var idf = {};
    plan.tokens.concat(plan.pairs).forEach(function (term) {
      var df = Object.keys(postings[term]).length;
      idf[term] = Math.log(1 + (meta.count - df + 0.5) / (df + 0.5));
    });
    var scored = candidates.map(function (id) {
      var named = 0, phrases = 0, exact = 0, score = 0;
      plan.named.forEach(function (name) { if (id in postings["#" + name.term[0] + ":" + name.term[1]]) named++; });
      plan.pairs.forEach(function (pair) { if (id in postings[pair]) { phrases++; score += idf[pair]; } });
      plan.exact.forEach(function (term) { if (id in postings[term]) exact++; });
      plan.tokens.forEach(function (token) {
        var weight = postings[token][id];
        if (weight) {
          var tf = weight / QUARTERS;
          score += idf[token] * tf * (K1 + 1) / (tf + K1);
        }
      });
      return { id: Number(id), key: [named, phrases, exact, Math.round(score * 1000), dates[id] || 0, Number(id)] };
    });
    scored.sort(function (a, b) {
      for (var i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return b.key[i] - a.key[i];
      return 0;
    });
    return { ids: scored.map(function (item) { return item.id; }), unknown: [] };
  }

  // The part of `text` around the first two words of the query it has side by side, else its
  // first word the query has, as [text, marked] pieces.
  function excerpt(text, tokens, size) {
    var pieces = [];
    var pattern = /[\p{L}\p{N}\u0300-\u036f]+/gu;
    var found = [];
    var match;
    while ((match = pattern.exec(text))) found.push({ at: match.index, end: match.index + match[0].length, word: fold(match[0]) });
    var pairs = [];
    for (var i = 0; i + 1 < tokens.length; i++) pairs.push(tokens[i] + " " + tokens[i + 1]);
    var first = -1;
    for (i = 0; i + 1 < found.length && first < 0; i++) {
      if (pairs.indexOf(found[i].word + " " + found[i + 1].word) >= 0) first = i;
    }
    for (i = 0; i < found.length && first < 0; i++) if (tokens.indexOf(found[i].word) >= 0) first = i;
    first = Math.max(first, 0);
    var from = Math.max(0, first - Math.floor(size / 3));
    var to = Math.min(found.length, from + size);
    if (!found.length) return [[text.slice(0, 200), false]];
    var at = found[from].at;
    if (from > 0) pieces.push(["… ", false]);
    for (i = from; i < to; i++) {
      if (found[i].at > at) pieces.push([text.slice(at, found[i].at), false]);
      pieces.push([text.slice(found[i].at, found[i].end), tokens.indexOf(found[i].word) >= 0]);
      at = found[i].end;
    }
    if (to < found.length) pieces.push([" …", false]);
    return pieces;
  }

  function page(document, window) {
    var form = document.querySelector(".search-form");
    if (!form) return;
    var status = document.querySelector(".search-status");
    var hint = document.querySelector(".search-hint");
    var named = document.querySelector(".search-terms");
    var list = document.querySelector(".search-results");
    var more = document.querySelector(".search-more");
    var PAGE = 10;
    var base = form.getAttribute("data-index");

    var params = new URLSearchParams(window.location.search);
    var query = (params.get("q") || "").trim();
    var filters = {};
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
      var value = params.get(select.name) || "";
      select.value = value;
      if (value) filters[select.name] = value;
    });
    form.elements.q.value = query;
    if (!query && !Object.keys(filters).length) return;

    function say(name, values) {
      var text = status.getAttribute("data-" + name) || "";
      Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
      status.textContent = text;
    }
    function number(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }

    if (!base) {  // a site with no articles yet has no index
      say("none", { query: query });
      return;
    }
    function load(path, fresh) {
      return window.fetch(base + path, fresh ? { cache: "no-cache" } : {}).then(function (response) {
        if (!response.ok) throw changed(path + ": " + response.status, response.status === 404);
        return response.json();
      });
    }

    // A page loaded before a deploy may hold an index that has changed since: on any sign of
    // that (a file gone, another epoch), the index is loaded again, once.
    function attempt(fresh) {
      return load("meta.json", fresh).then(function (meta) {
        if (meta.format !== FORMAT) throw new Error("format");
        var plan = parse(meta, query, filters);
        return run(meta, plan, function (path) { return load(path, fresh); }).then(function (found) {
          return { meta: meta, plan: plan, found: found, fresh: fresh };
        });
      });
    }

    // An error; `gone`: a sign that the index changed since the page loaded it.
    function changed(message, gone) {
      var error = new Error(message);
      error.gone = gone;
      return error;
    }

    // The articles `ids` shown in order, each as soon as it and those above it are there: on a
    // slow connection the first come a round trip before the last. An article of another epoch
    // fails the whole: the search starts again on the index as it is now.
    var cleared = 0;  // times the list was emptied: what a failed attempt still loads is not shown
    function showAll(result, ids) {
      var docs = [];
      var shown = 0;
      var round = cleared;
      return Promise.all(ids.map(function (id, i) {
        return load("bai/" + id + ".json", result.fresh).then(function (doc) {
          if (doc.e !== result.meta.epoch) throw changed("epoch", true);
          docs[i] = doc;
          for (; shown < ids.length && docs[shown] && round === cleared; shown++) {
            show(docs[shown], result.plan.tokens);
          }
        });
      }));
    }

    function show(doc, tokens) {
      var item = document.createElement("li");
      var title = document.createElement("a");
      title.className = "search-title";
      title.href = doc.u;
      title.textContent = doc.t;
      var heading = document.createElement("h2");
      heading.appendChild(title);
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = [doc.d, doc.p].filter(Boolean).join(" · ");
      var text = document.createElement("p");
      text.className = "search-excerpt";
      excerpt(doc.x, tokens, 30).forEach(function (piece) {
        var node = piece[1] ? document.createElement("mark") : document.createTextNode(piece[0]);
        if (piece[1]) node.textContent = piece[0];
        text.appendChild(node);
      });
      item.appendChild(heading);
      item.appendChild(meta);
      item.appendChild(text);
      list.appendChild(item);
    }

    function offer(plan) {  // the pages of the provinces and themes the query names
      if (!plan.named.length) return;
      plan.named.forEach(function (name, i) {
        var link = document.createElement("a");
        link.href = name.term[3];
        link.textContent = named.getAttribute("data-see").split("{name}").join(name.term[2]);
        if (i) named.appendChild(document.createTextNode(" · "));
        named.appendChild(link);
      });
      named.hidden = false;
    }

    function clear() {
      cleared++;
      list.textContent = "";
      named.textContent = "";
      named.hidden = more.hidden = true;
    }

    function answer(result) {
      var plan = result.plan, ids = result.found.ids;
      offer(plan);
      if (result.found.unknown.length) {
        var unknown = result.found.unknown.map(function (word) { return "“" + word + "”"; }).join(", ");
        say("unknown", { query: query, words: unknown });
        hint.hidden = false;
        return null;
      }
      if (!ids.length) {
        say(query ? "none" : "none-filtered", { query: query });
        hint.hidden = false;
        return null;
      }
      return showAll(result, ids.slice(0, PAGE)).then(function () {
        // said once the first results are there to read
        say(query ? "found" : "found-filtered", { count: number(ids.length), query: query });
        return result;
      });
    }

    function offerMore(result) {
      var ids = result.found.ids;
      var shown = Math.min(PAGE, ids.length);
      more.hidden = shown >= ids.length;
      more.onclick = function () {
        var first = shown;
        shown = Math.min(ids.length, shown + PAGE);
        more.disabled = true;  // one batch at a time, in order
        showAll(result, ids.slice(first, shown)).then(function () {
          more.disabled = false;
          more.hidden = shown >= ids.length;
          var titles = list.querySelectorAll(".search-title");
          if (titles[first]) titles[first].focus();  // on to what is new
        }).catch(function (error) {
          more.disabled = false;
          if (error.gone) {  // the site changed since the page was opened: start again
            start(true).catch(function () { say("failed"); });
            return;
          }
          cleared++;  // what the batch still loads is not shown
          while (list.children.length > first) list.removeChild(list.lastChild);
          shown = first;
          say("failed");
        });
      };
    }

    function start(fresh) {
      clear();
      say("searching");
      return attempt(fresh).then(answer).then(function (result) { if (result) offerMore(result); });
    }

    start(false).catch(function () { return start(true); }).catch(function () { say("failed"); });
  }

  return { fold: fold, words: words, shardOf: shardOf, parse: parse, run: run, excerpt: excerpt, page: page };
});
