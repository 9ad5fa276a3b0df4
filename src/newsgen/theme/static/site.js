/* newsgen theme: the phone menu, the menu's second level, YouTube videos and the share buttons.
   The page works without this script: the menu then opens through its link (#menu), its second
   level through its <details>, a video's link leads to YouTube, and only the Facebook link is
   offered. */
(function () {
  "use strict";
  var nav = document.getElementById("menu");
  var toggle = nav && nav.querySelector(".menu-toggle");
  if (toggle) {
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // The menu's second level: one list open at a time, closed by Escape or a click elsewhere.
  var groups = nav ? nav.querySelectorAll("details") : [];
  function closeGroups(except) {
    Array.prototype.forEach.call(groups, function (group) {
      if (group !== except) group.open = false;
    });
  }
  Array.prototype.forEach.call(groups, function (group) {
    group.addEventListener("toggle", function () {
      if (group.open) closeGroups(group);
    });
  });
  Array.prototype.forEach.call(groups, function (group) {
    // Tabbed past its last link: out of the way. (Not when the focus goes nowhere: Safari does
    // not focus a tapped link, and closing would hide it before the tap lands.)
    group.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !group.contains(event.relatedTarget)) group.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    Array.prototype.forEach.call(groups, function (group) {
      if (!group.open) return;
      var inside = group.contains(document.activeElement);
      group.open = false;
      if (inside) group.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (event) {
    if (!nav || !nav.contains(event.target)) closeGroups(null);
  });

  // A YouTube video: its link becomes the player, from youtube-nocookie.com, when clicked.
  Array.prototype.forEach.call(document.querySelectorAll("a[data-youtube]"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var player = document.createElement("iframe");
      var start = parseInt(link.getAttribute("data-start"), 10);
      player.src = "https://www.youtube-nocookie.com/embed/" + encodeURIComponent(link.getAttribute("data-youtube")) +
        "?autoplay=1" + (start ? "&start=" + start : "");
      player.title = link.getAttribute("data-title");
      player.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      player.setAttribute("allowfullscreen", "");
      link.parentNode.replaceChild(player, link);
      player.focus();
    });
  });

  var status = document.querySelector(".share-status");
  function say(text) {
    status.textContent = text;
  }
  function copy(button) {
    var url = button.getAttribute("data-url");
    var done = button.getAttribute("data-done");
    var failed = status.getAttribute("data-failed");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(function () { say(done); }, function () { say(failed); });
      return;
    }
    var field = document.createElement("textarea");  // plain http: the older way
    field.value = url;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.appendChild(field);
    field.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    document.body.removeChild(field);
    say(copied ? done : failed);
  }
  var buttons = document.querySelectorAll(".share button[data-share]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      // On phones the system's share sheet offers Zalo; elsewhere the link is copied to paste there.
      if (button.getAttribute("data-share") === "zalo" && navigator.share) {
        navigator.share({ title: document.title, url: button.getAttribute("data-url") }).catch(function () {});
      } else {
        copy(button);
      }
    });
  });
})();
