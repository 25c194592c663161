/* statuspress: mkdocs-material's inline colour-palette script, as a file (CSP): applies the
   palette the reader chose last (or the one matching the system's light/dark preference). */
(function () {
  var palette = __md_get("__palette");
  if (!palette || !palette.color) {
    return;
  }
  if (palette.color.media === "(prefers-color-scheme)") {
    var light = matchMedia("(prefers-color-scheme: light)").matches;
    var input = document.querySelector(
      light
        ? "[data-md-color-media='(prefers-color-scheme: light)']"
        : "[data-md-color-media='(prefers-color-scheme: dark)']"
    );
    for (var part of ["media", "scheme", "primary", "accent"]) {
      palette.color[part] = input.getAttribute("data-md-color-" + part);
    }
  }
  for (var [key, value] of Object.entries(palette.color)) {
    document.body.setAttribute("data-md-color-" + key, value);
  }
})();
