/* newsgen theme: the search page. Pagefind searches, in the browser, the index the build made of
   every published article; nothing is asked of a server or of another site. */
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  if (!form) return;
  var status = document.querySelector(".search-status");
  var hint = document.querySelector(".search-hint");
  var list = document.querySelector(".search-results");
  var more = document.querySelector(".search-more");
  var PAGE = 10;

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

  // Pagefind folds tone marks for Vietnamese but not đ into d: "dien bien" would miss "Điện Biên".
  // Each word that starts with d is tried with đ as well (every mix, for up to three such words).
  function variants(text) {
    var words = text.split(/\s+/);
    var ds = [];
    words.forEach(function (word, i) { if (/^[dD]/.test(word)) ds.push(i); });
    var masks = ds.length <= 3 ? Math.pow(2, ds.length) : 2;
    var found = [];
    for (var mask = 0; mask < masks; mask++) {
      var copy = words.slice();
      ds.forEach(function (at, bit) {
        var swap = ds.length <= 3 ? mask & (1 << bit) : mask;
        if (swap) copy[at] = (copy[at][0] === "d" ? "đ" : "Đ") + copy[at].slice(1);
      });
      found.push(copy.join(" "));
    }
    return found;
  }

  function number(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }

  function show(result, data) {
    var item = document.createElement("li");
    var title = document.createElement("a");
    title.className = "search-title";
    title.href = data.url;
    title.textContent = data.meta.title || data.url;
    var heading = document.createElement("h2");
    heading.appendChild(title);
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = [data.meta.date, data.meta.provinces].filter(Boolean).join(" · ");
    var excerpt = document.createElement("p");
    excerpt.className = "search-excerpt";
    excerpt.innerHTML = data.excerpt;  // Pagefind's own: the article's text, escaped, with <mark>s
    item.appendChild(heading);
    item.appendChild(meta);
    item.appendChild(excerpt);
    list.appendChild(item);
  }

  if (!form.getAttribute("data-index")) {  // a site with no articles yet has no index
    say("none", { query: query });
    return;
  }
  say("searching");
  import(form.getAttribute("data-index")).then(function (pagefind) {
    return pagefind.options({ baseUrl: form.getAttribute("data-base") }).then(function () {
      var searches = (query ? variants(query) : [null]).map(function (text) {
        // No words: every article in the filters, newest first (by the date each one carries).
        return pagefind.search(text, text ? { filters: filters } : { filters: filters, sort: { date: "desc" } });
      });
      return Promise.all(searches);
    });
  }).then(function (searches) {
    var best = {};
    searches.forEach(function (search) {
      search.results.forEach(function (result) {
        if (!best[result.id] || best[result.id].score < result.score) best[result.id] = result;
      });
    });
    var results = Object.keys(best).map(function (id) { return best[id]; });
    results.sort(function (a, b) { return b.score - a.score; });
    if (!results.length) {
      say(query ? "none" : "none-filtered", { query: query });
      hint.hidden = false;
      return;
    }
    var shown = 0;
    function next() {
      var batch = results.slice(shown, shown + PAGE);
      var first = shown;
      shown += batch.length;
      more.disabled = true;  // one batch at a time, in order
      return Promise.all(batch.map(function (result) { return result.data(); })).then(function (datas) {
        datas.forEach(function (data, i) { show(batch[i], data); });
        more.disabled = false;
        more.hidden = shown >= results.length;
        if (first > 0) list.querySelectorAll(".search-title")[first].focus();  // on to what is new
      });
    }
    more.addEventListener("click", next);
    return next().then(function () {  // said once the first results are there to read
      say(query ? "found" : "found-filtered", { count: number(results.length), query: query });
    });
  }).catch(function () {
    say("failed");
  });
})();
