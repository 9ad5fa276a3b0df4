/* newsgen theme: Thống kê truy cập. Counts this visit with the site's counter, then shows its
   four numbers; if the counter does not answer within a few seconds the block stays hidden. */
(function () {
  "use strict";
  var box = document.querySelector(".visit-stats");
  if (!box || !window.fetch) return;
  var endpoint = box.getAttribute("data-endpoint").replace(/\/+$/, "");
  // A random id kept in this browser: no cookie, and nothing that names the reader.
  var visitor = Math.random().toString(36).slice(2) + Date.now().toString(36);
  try {
    visitor = localStorage.getItem("newsgen-visitor") || visitor;
    localStorage.setItem("newsgen-visitor", visitor);
  } catch (error) {}  // storage off: this visit counts with an id of its own
  function number(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }
  var controller = window.AbortController ? new AbortController() : null;
  var timer = setTimeout(function () { if (controller) controller.abort(); }, 4000);
  var options = controller ? { signal: controller.signal } : {};
  // text/plain: a simple request, no CORS preflight
  var hit = JSON.stringify({ path: window.location.pathname, visitor: visitor });
  var post = { method: "POST", body: hit, keepalive: true, headers: { "Content-Type": "text/plain" } };
  fetch(endpoint + "/hit", Object.assign(post, options))
    .catch(function () {})
    .then(function () { return fetch(endpoint + "/stats", options); })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
    .then(function (stats) {
      Array.prototype.forEach.call(box.querySelectorAll("[data-stat]"), function (cell) {
        cell.textContent = number(stats[cell.getAttribute("data-stat")]);
      });
      box.hidden = false;
    })
    .catch(function () {})  // no counter: no block
    .then(function () { clearTimeout(timer); });
})();
