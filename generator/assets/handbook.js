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
