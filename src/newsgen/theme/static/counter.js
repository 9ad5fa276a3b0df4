/* newsgen theme: Thống kê truy cập. Counts this visit with the site's counter (newsgen's own or
   GoatCounter), then shows its numbers; if the counter does not answer within a few seconds the
   block stays hidden. */
(function () {
  "use strict";
  var box = document.querySelector(".visit-stats");
  if (!box || !window.fetch) return;
  var endpoint = box.getAttribute("data-endpoint").replace(/\/+$/, "");
  var offset = Number(box.getAttribute("data-offset")) || 0;  // the old portal's total
  var controller = window.AbortController ? new AbortController() : null;
  var timer = setTimeout(function () { if (controller) controller.abort(); }, 4000);
  var options = controller ? { signal: controller.signal } : {};

  // The body is read even from a refusal, so that no request is left open.
  function json(response, alsoAnswers) {
    return response.text().then(function (text) {
      return response.ok || response.status === alsoAnswers ? JSON.parse(text) : Promise.reject(response.status);
    });
  }

  // newsgen counter serve: POST /hit, then GET /stats gives all four numbers
  function newsgen() {
    // A random id kept in this browser: no cookie, and nothing that names the reader.
    var visitor = Math.random().toString(36).slice(2) + Date.now().toString(36);
    try {
      visitor = localStorage.getItem("newsgen-visitor") || visitor;
      localStorage.setItem("newsgen-visitor", visitor);
    } catch (error) {}  // storage off: this visit counts with an id of its own
    // text/plain: a simple request, no CORS preflight
    var hit = JSON.stringify({ path: window.location.pathname, visitor: visitor });
    var post = { method: "POST", body: hit, keepalive: true, headers: { "Content-Type": "text/plain" } };
    return fetch(endpoint + "/hit", Object.assign(post, options))
      .catch(function () {})
      .then(function () { return fetch(endpoint + "/stats", options); })
      .then(json);
  }

  // GoatCounter: its /count records the visit, and its public counter JSON (the site's setting
  // "Allow adding visitor counts") gives the site's total since a date; its days are UTC days,
  // "week" is the last 7 days, and it knows nothing of who is online.
  function goatcounter() {
    var page = "?p=" + encodeURIComponent(window.location.pathname) +
      "&t=" + encodeURIComponent(document.title) + "&r=" + encodeURIComponent(document.referrer) +
      "&rnd=" + Math.random().toString(36).slice(2);
    navigator.sendBeacon(endpoint + "/count" + page);  // as GoatCounter's own count.js does
    function total(since) {
      return fetch(endpoint + "/counter/TOTAL.json" + since, options)
        .then(function (response) { return json(response, 404); })  // 404: none yet, and its answer says "0"
        .then(function (answer) {
          var digits = String(answer.count).replace(/\D/g, "");  // "1,234", "1 234": the site's own format
          return digits ? Number(digits) : Promise.reject("no count");
        });
    }
    var today = new Date().toISOString().slice(0, 10);
    return Promise.all([total("?start=" + today), total("?start=week"), total("")])
      .then(function (n) { return { today: n[0], week: n[1], total: n[2] }; });
  }

  function number(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }
  (box.getAttribute("data-mode") === "goatcounter" ? goatcounter() : newsgen())
    .then(function (stats) {
      stats.total += offset;
      Array.prototype.forEach.call(box.querySelectorAll("[data-stat]"), function (cell) {
        cell.textContent = number(stats[cell.getAttribute("data-stat")]);
      });
      box.hidden = false;
    })
    .catch(function () {})  // no counter: no block
    .then(function () { clearTimeout(timer); });
})();
