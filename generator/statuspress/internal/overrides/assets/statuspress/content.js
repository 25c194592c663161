/* statuspress: mkdocs-material's inline script after the page content, as a file (CSP). It
   selects the content tab a link points at and, with content.tabs.link, the tabs chosen last. */
(function () {
  if (document.currentScript.hasAttribute("data-tabs-link")) {
    var chosen = __md_get("__tabs");
    if (Array.isArray(chosen)) {
      document.querySelectorAll(".tabbed-set").forEach(function (set) {
        var labels = set.querySelector(".tabbed-labels");
        for (var name of chosen) {
          for (var label of labels.getElementsByTagName("label")) {
            if (label.innerText.trim() === name) {
              document.getElementById(label.htmlFor).checked = true;
              return;
            }
          }
        }
      });
    }
  }
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) {
    target.checked = target.name.startsWith("__tabbed_");
  }
})();
