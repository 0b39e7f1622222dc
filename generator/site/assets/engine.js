/* A handbook built without its MkDocs plugin (`handbook render`, `handbook build --engine
 * zensical`): the language switcher.
 *
 * Each language is a build of its own, and the switcher links to the same page in the other
 * language (partials/alternate.html). The theme's own script takes such a click, looks the page
 * up in the other language's sitemap, and finding it there in no case (a site without
 * `site_url` has no addresses in its sitemap) opens that language's home page instead. The
 * plugin keeps the script from the links by leaving them out of the page's head; a project
 * built by any engine keeps the theme's head, so the click is kept from the script here, and
 * the link is followed as written.
 */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target instanceof Element && target.closest("a.md-select__link[hreflang]")) {
      event.stopPropagation();
    }
  }, true);
})();
