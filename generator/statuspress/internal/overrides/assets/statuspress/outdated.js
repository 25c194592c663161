/* statuspress: mkdocs-material's inline "outdated version" script, as a file (CSP). */
(function () {
  var banner = document.querySelector("[data-md-component=outdated]");
  var base = new URL(document.currentScript.dataset.base, location);
  if (__md_get("__outdated", sessionStorage, base) === true && banner) {
    banner.hidden = false;
  }
})();
