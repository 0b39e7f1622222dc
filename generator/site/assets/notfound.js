/* The base of a not-found page, found where the page is served.
 *
 * A web server answers any missing address with a not-found page, at that address and at any
 * depth, and the site itself may be served from any folder of an intranet host: no address in
 * the page can be known when it is built (MkDocs would need `site_url`, which an intranet
 * handbook does not have). So the page is written as if it stood at the root of its build (where
 * it is), and this script, run first in its <head>, finds that root in the address asked for and
 * makes it the page's <base>: every stylesheet, script and link after it then resolves from there.
 *
 * The root of the whole site is the folder of the address that holds `data-marker` (for a
 * language's page its own `ru/1.1/404.html`, for the site root's page the first language's home),
 * and the root of this build is that folder followed by `data-own` (`ru/1.1/`, or nothing). The
 * folders after which the address goes on with `data-own` are asked first, so that one request
 * usually settles it. The requests are synchronous: the base must be known before the parser
 * reaches the first stylesheet. Opened at its own address (from disk too), the page needs none.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var own = script.getAttribute("data-own") || "";
  var marker = script.getAttribute("data-marker");
  if (/\/404\.html$/.test(window.location.pathname)) return;

  function exists(address) {
    try {
      var request = new XMLHttpRequest();
      request.open("HEAD", address, false);
      request.send();
      return request.status >= 200 && request.status < 300;
    } catch (refused) {
      return false;
    }
  }

  var folders = [];
  for (var folder = new URL(".", window.location.href); ; folder = new URL("..", folder)) {
    folders.push(folder.href);
    if (folder.pathname === "/") break;
  }
  var address = window.location.href;
  var likely = folders.filter(function (f) { return address.indexOf(f + own) === 0; });
  var rest = folders.filter(function (f) { return likely.indexOf(f) === -1; });
  var candidates = likely.concat(rest);
  var root;
  for (var i = 0; i < candidates.length && root === undefined; i += 1) {
    if (exists(candidates[i] + marker)) root = candidates[i];
  }
  if (root === undefined) root = likely[0];  // no answer (no server): the address's own shape
  if (root === undefined) return;
  var base = document.createElement("base");
  base.href = root + own;
  document.head.appendChild(base);
})();
