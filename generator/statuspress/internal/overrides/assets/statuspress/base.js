/* statuspress: what mkdocs-material's inline head script defines, loaded as a file so that the
   Content-Security-Policy needs no inline script. material's bundle calls these globals: they
   keep its settings (palette, dismissed banners, linked tabs) in browser storage, one key per
   site (the scope, from the script tag's data-scope). */
var __md_scope = new URL(document.currentScript.dataset.scope, location);

var __md_hash = function (text) {
  return [...text].reduce(function (hash, ch) {
    return (hash << 5) - hash + ch.charCodeAt(0);
  }, 0);
};

var __md_get = function (key, storage = localStorage, scope = __md_scope) {
  return JSON.parse(storage.getItem(scope.pathname + "." + key));
};

var __md_set = function (key, value, storage = localStorage, scope = __md_scope) {
  try {
    storage.setItem(scope.pathname + "." + key, JSON.stringify(value));
  } catch (err) {
    /* storage full or disabled: settings are not kept, nothing else breaks */
  }
};
