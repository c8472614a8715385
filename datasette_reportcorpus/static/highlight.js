/* Highlight the words of ?_search= in the cells of a Datasette table page, and give
 * each of the plugin's selections a remove link there.
 *
 * Core Datasette filters by full-text search but does not show where the words
 * are. The index stems words (porter), so "strikes" also finds "striking": each
 * search word is cut to a rough stem and any word starting with it is marked.
 * Only text nodes are touched (no innerHTML), so cell text is never read as HTML.
 */
(function () {
  "use strict";
  var OPERATORS = { AND: 1, OR: 1, NOT: 1, NEAR: 1 };

  function searchWords() {
    var params = new URLSearchParams(window.location.search);
    var words = [];
    params.forEach(function (value, key) {
      if (key !== "_search" && key.indexOf("_search_") !== 0) return;
      // A number keeps its separators ("2,600"): its digits alone would mark every 2.
      (value.match(/[\p{L}\p{N}_]+(?:[.,]\p{N}+)*/gu) || []).forEach(function (w) {
        if (!OPERATORS[w]) words.push(w.toLowerCase());
      });
    });
    return words;
  }

  function stem(word) {
    var suffixes = ["ings", "ing", "edly", "ed", "es", "s"];
    for (var i = 0; i < suffixes.length; i++) {
      var s = suffixes[i];
      if (word.length - s.length >= 4 && word.slice(-s.length) === s) {
        return word.slice(0, -s.length);
      }
    }
    return word;
  }

  function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function markText(node, pattern) {
    var text = node.nodeValue;
    pattern.lastIndex = 0;
    var match = pattern.exec(text);
    if (!match) return;
    var fragment = document.createDocumentFragment();
    var last = 0;
    while (match) {
      var start = match.index + match[1].length;
      fragment.appendChild(document.createTextNode(text.slice(last, start)));
      var mark = document.createElement("mark");
      mark.className = "rc-search-match";
      mark.textContent = match[2];
      fragment.appendChild(mark);
      last = start + match[2].length;
      match = pattern.exec(text);
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    node.parentNode.replaceChild(fragment, node);
  }

  function highlight() {
    var words = searchWords();
    if (!words.length) return;
    // Words are marked from a rough stem on; numbers only whole.
    var alternatives = words.map(function (w) {
      if (/\p{N}/u.test(w)) {
        // Whole numbers only: not the 400 of "1,400", nor the 1 of "1,400".
        return "(?<!\\p{N}[.,])" + escapeRegExp(w) + "(?![\\p{L}\\p{N}_]|[.,]\\p{N})";
      }
      return escapeRegExp(stem(w)) + "[\\p{L}\\p{N}_]*";
    }).filter(function (s, i, all) { return all.indexOf(s) === i; });
    // Group 1: what precedes the word (start or a non-word character); group 2: the word.
    var pattern = new RegExp(
      "(^|[^\\p{L}\\p{N}_])((?:" + alternatives.join("|") + "))",
      "giu"
    );
    var cells = document.querySelectorAll("table.rows-and-columns td");
    cells.forEach(function (cell) {
      var walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      var nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      nodes.forEach(function (n) { markText(n, pattern); });
    });
  }

  // Some Datasette 1.0 alphas leave the search box empty on a searched table page, so
  // "Apply filters" would drop the search (and the rows a journalist then exports would
  // not be the searched ones): put the search back in the box.
  function keepSearchInBox() {
    var box = document.querySelector('input#_search[type="search"]');
    var value = new URLSearchParams(window.location.search).get("_search");
    if (box && !box.value && value) box.value = value;
  }

  // The plugin's selections (?_article_outlet=..., ?_figure_object=..., ?_range_...=,
  // ?_match=) narrow the rows, and core describes them in its heading, but offers no way
  // to take one off: list them, each with a link to this page without it.
  var SELECTION = /^(_article_|_figure_|_range_)(.+)$|^(_match)$/;
  var NAMES = { key: "article", story: "story id" };

  function selectionBar() {
    var params = new URLSearchParams(window.location.search);
    var found = [];
    params.forEach(function (value, key) {
      var m = SELECTION.exec(key);
      if (m) found.push([key, value, m[3] ? "text matches" : (NAMES[m[2]] || m[2])]);
    });
    if (!found.length) return;
    var bar = document.createElement("p");
    bar.className = "rc-table-selections";
    bar.appendChild(document.createTextNode("Selected: "));
    found.forEach(function (item, i) {
      var without = new URLSearchParams(window.location.search);
      var kept = without.getAll(item[0]).filter(function (v) { return v !== item[1]; });
      without.delete(item[0]);
      kept.forEach(function (v) { without.append(item[0], v); });
      without.delete("_next");
      var span = document.createElement("span");
      span.className = "rc-selection";
      span.textContent = item[2] + ": " + item[1] + " ";
      var link = document.createElement("a");
      var query = without.toString();
      link.href = window.location.pathname + (query ? "?" + query : "");
      link.className = "cross";
      link.textContent = "\u2716";
      link.title = "Remove this selection";
      link.setAttribute("aria-label", "Remove: " + item[2] + " " + item[1]);
      span.appendChild(link);
      if (i) bar.appendChild(document.createTextNode(", "));
      bar.appendChild(span);
    });
    var heading = Array.prototype.find.call(document.querySelectorAll("h3"), function (h) {
      return / rows?\b/.test(h.textContent);
    });
    var table = document.querySelector("table.rows-and-columns");
    if (heading) heading.parentNode.insertBefore(bar, heading.nextSibling);
    else if (table) table.parentNode.insertBefore(bar, table);
  }

  function start() {
    keepSearchInBox();
    highlight();
    selectionBar();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
