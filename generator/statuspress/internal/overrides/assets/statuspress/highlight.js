/* statuspress: trims the search terms that material highlights on the page it opens (?h=...).
   material splits each term on "-" and marks every part anywhere in the text, so following a
   result for "HikariPool-1" marked every "1" on the page (dates, durations, counts). Parts of
   one character, and numbers of one or two digits, are dropped before material reads the URL;
   the rest are still marked. Runs in <head>, before material's bundle. */
(function () {
  var url = new URL(location.href);
  var terms = url.searchParams.get("h");
  if (!terms) {
    return;
  }
  var kept = terms
    .split(/[\s*+\-:~^]+/)
    .filter(function (part) {
      return part.length > 1 && !/^\d{1,2}$/.test(part);
    });
  if (kept.length === 0) {
    url.searchParams.delete("h");
  } else {
    url.searchParams.set("h", kept.join(" "));
  }
  if (url.href !== location.href) {
    history.replaceState(history.state, "", url.href);
  }
})();
