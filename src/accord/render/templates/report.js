(function () {
  "use strict";
  // Evidence links: open the article's text, highlight the evidence span, scroll to it.
  // Without this script the links are plain anchors and :target marks the first segment.
  var data = {};
  try {
    data = JSON.parse(document.getElementById("accord-data").textContent);
  } catch (e) {
    data = {};
  }
  var targets = data.targets || {};

  function openAncestors(node) {
    for (var el = node; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") { el.open = true; }
    }
  }

  function clearHighlight() {
    var old = document.querySelectorAll(".seg.hl");
    for (var i = 0; i < old.length; i++) { old[i].classList.remove("hl"); }
  }

  function show(id, smooth) {
    var target = id && document.getElementById(id);
    if (!target) { return false; }
    var article = target.closest(".source-article") || target;
    openAncestors(target);
    var details = article.querySelector("details.article-text");
    if (details) { details.open = true; }
    clearHighlight();
    if (target.classList.contains("seg")) {
      var start = Number(target.getAttribute("data-s"));
      var end = Object.prototype.hasOwnProperty.call(targets, id) ? Number(targets[id]) : Number(target.getAttribute("data-e"));
      var segs = article.querySelectorAll(".seg");
      for (var i = 0; i < segs.length; i++) {
        var s = Number(segs[i].getAttribute("data-s"));
        var e = Number(segs[i].getAttribute("data-e"));
        if (s >= start && e <= end) { segs[i].classList.add("hl"); }
      }
    }
    target.setAttribute("tabindex", "-1");
    target.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "center" });
    target.focus({ preventScroll: true });
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#article-']");
    if (!link) { return; }
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    if (show(id, true)) {
      event.preventDefault();
      history.pushState(null, "", "#" + id);
    }
  });

  window.addEventListener("hashchange", function () {
    show(decodeURIComponent(location.hash.slice(1)), false);
  });
  if (location.hash.indexOf("#article-") === 0) {
    show(decodeURIComponent(location.hash.slice(1)), false);
  }

  // Print everything: open every collapsed section before printing, restore after.
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    var closed = document.querySelectorAll("details:not([open])");
    for (var i = 0; i < closed.length; i++) { closed[i].open = true; reopened.push(closed[i]); }
  });
  window.addEventListener("afterprint", function () {
    for (var i = 0; i < reopened.length; i++) { reopened[i].open = false; }
    reopened = [];
  });
})();
