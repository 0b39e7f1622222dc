/* Switching version keeps the reader on the same page, where that page exists.
 *
 * Material's own selector does this only for sites published with a site_url (it looks the
 * page up in the other version's sitemap); an intranet handbook often has none, and is even
 * opened from a file server. Here the other version is asked for the same path directly, and
 * the reader lands on its home page only if the page is not there. */
document.addEventListener("click", function (event) {
  var link = event.target instanceof Element ? event.target.closest("a.md-version__link") : null;
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  var config = document.getElementById("__config");
  if (!config) return;
  var here = new URL(JSON.parse(config.textContent).base + "/", window.location.href);
  var page = window.location.href.slice(here.href.length);
  var target = new URL(link.getAttribute("href"), window.location.href);
  if (!page) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  var candidate = new URL(page, target);
  fetch(candidate.href, { method: "HEAD" })
    .then(function (response) { window.location.href = response.ok ? candidate.href : target.href; })
    .catch(function () { window.location.href = target.href; });
}, true);

/* A list's filter (`filter` in _blocks.html.j2): narrows the rows of this page by moment of
 * truth, category and standing. Everything is in the page, so it works offline and opened
 * from disk; without script the filter stays hidden and the page shows the whole list. */
(function () {
  function matches(row, choices) {
    return Object.keys(choices).every(function (name) {
      var wanted = choices[name];
      if (!wanted) return true;
      var values = (row.getAttribute("data-hb-" + name) || "").split(" ");
      return values.indexOf(wanted) !== -1 || (name === "channel" && values[0] === "");
    });
  }

  function apply(form) {
    var choices = {};
    form.querySelectorAll("select").forEach(function (select) {
      choices[select.name] = select.value;
    });
    var scope = form.closest("article") || document;
    var rows = scope.querySelectorAll("[data-hb-row]");
    var shown = 0;
    rows.forEach(function (row) {
      var visible = matches(row, choices);
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    /* A table or list with nothing left to show is hidden, and so is a heading over nothing
     * left to show (a moment of truth above its categories included). */
    scope.querySelectorAll("table, ul").forEach(function (list) {
      var own = list.querySelectorAll("[data-hb-row]");
      if (!own.length) return;
      var any = Array.prototype.some.call(own, function (row) { return !row.hidden; });
      (list.closest(".md-typeset__scrollwrap") || list).hidden = !any;
    });
    scope.querySelectorAll("h2, h3, h4").forEach(function (heading) {
      var level = Number(heading.tagName[1]);
      var rows = 0, visible = 0;
      for (var next = heading.nextElementSibling; next; next = next.nextElementSibling) {
        if (/^H[1-6]$/.test(next.tagName) && Number(next.tagName[1]) <= level) break;
        var inside = next.matches("[data-hb-row]") ? [next] : next.querySelectorAll("[data-hb-row]");
        rows += inside.length;
        visible += Array.prototype.filter.call(inside, function (row) { return !row.hidden; }).length;
      }
      if (rows) heading.hidden = !visible;
    });
    var count = form.querySelector("output");
    if (count) count.textContent = count.getAttribute("data-template")
      .replace("%(shown)s", shown).replace("%(total)s", rows.length);
  }

  /* The choice goes with the reader from page to page of the list (`?channel=phone`), and
   * stays when the page is reloaded or its address shared. */
  function remember(form) {
    var query = new URLSearchParams();
    form.querySelectorAll("select").forEach(function (select) {
      if (select.value) query.set(select.name, select.value);
    });
    var search = query.toString() ? "?" + query.toString() : "";
    document.querySelectorAll("nav.hb-pager a").forEach(function (link) {
      var target = new URL(link.getAttribute("href"), window.location.href);
      target.search = search;
      link.setAttribute("href", target.href);
    });
    try {
      window.history.replaceState(null, "", search + window.location.hash || window.location.pathname);
    } catch (refused) { /* some browsers refuse it from disk; the links still carry it */ }
  }

  function start() {
    var asked = new URLSearchParams(window.location.search);
    document.querySelectorAll("[data-hb-filter]").forEach(function (form) {
      form.hidden = false;
      form.querySelectorAll("select").forEach(function (select) {
        var wanted = asked.get(select.name);
        if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
          select.value = wanted;
        }
      });
      form.addEventListener("change", function () { apply(form); remember(form); });
      apply(form);
      if (asked.toString()) remember(form);
    });
  }

  /* A norm that moved to a later page of its value, reached by a link to its old place. */
  function follow() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id || document.getElementById(id)) return;
    var links = document.querySelectorAll("a[data-hb-moved]");
    for (var i = 0; i < links.length; i += 1) {
      if (links[i].getAttribute("data-hb-moved").split(" ").indexOf(id) !== -1) {
        var target = new URL(links[i].getAttribute("href"), window.location.href);
        target.hash = "#" + encodeURIComponent(id);
        window.location.replace(target.href);
        return;
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { start(); follow(); });
  } else {
    start();
    follow();
  }
  window.addEventListener("hashchange", follow);
})();
