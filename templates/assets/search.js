/* Casebook search: the header box, and the results from the index casebook/render/search.py writes.
 *
 * The index is plain script files under search/ (loaded with <script>, so it works from file://
 * with no server, fetch or worker), and nothing is loaded until the box is used. A query is cut
 * into words (runs of Chinese characters, letters and digits); each word is found through its
 * character pairs ("bigrams"), whose page lists sit in shard files chosen by the first character.
 * A page must hold every word. The texts of the shown results come from chunk files, for the
 * snippet and to put pages holding the exact phrase before pages holding only its pairs.
 *
 * The ranking and text functions are also exported for node (tests/test_search_client.py). */
(function (root) {
  "use strict";

  var FIELD_WEIGHT = [100, 30, 10];           // title; subtitle, company, summary; the rest
  var PAGE_SIZE = 10;  // results drawn at first ("显示更多" adds as many): each may load a text chunk
  var WORD = /[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  var ALPHABET = (function () {
    var out = "";
    for (var c = 0x21; c < 0x7f && out.length < 90; c++) {
      if (c !== 0x22 && c !== 0x5c) out += String.fromCharCode(c);
    }
    return out;
  })();

  /* ---- text: the same folding and keys as casebook/render/search.py ---- */

  var FOLDED = /[A-Z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g;
  function foldOne(ch) {
    var c = ch.charCodeAt(0);
    if (c <= 0x5a) return String.fromCharCode(c + 0x20);
    return String.fromCharCode(c >= 0xff21 && c <= 0xff3a ? c - 0xfee0 + 0x20 : c - 0xfee0);
  }
  /** Letters and digits, ASCII or full-width, as lower-case ASCII; one character for one. */
  function fold(text) { return text.replace(FOLDED, foldOne); }

  function simplifier(pairs) {
    var table = {};
    for (var i = 0; i + 1 < pairs.length; i += 2) table[pairs[i]] = pairs[i + 1];
    return function (text) {
      var out = "";
      for (var i = 0; i < text.length; i++) out += table[text[i]] || text[i];
      return out;
    };
  }

  /** The words of a query, folded, in Simplified characters, without repeats. */
  function words(query, simplify) {
    var found = (simplify ? simplify(fold(query)) : fold(query)).match(WORD) || [];
    return found.filter(function (w, i) { return found.indexOf(w) === i; });
  }

  var DIGIT = [];
  for (var d = 0; d < ALPHABET.length; d++) DIGIT[ALPHABET.charCodeAt(d)] = d;

  function decode(text) {
    var out = [], page = -1, value = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGIT[text.charCodeAt(i)];
      if (digit >= 45) { value = value * 45 + digit - 45; continue; }
      value = value * 45 + digit;
      page += Math.floor(value / 4);
      out.push(page, value % 4);
      value = 0;
    }
    return out;
  }

  /* ---- ranking (pure: given the loaded shards) ---- */

  /** Pages holding `word`, as {page: field}: for one character the union of the pairs it starts
   * (its best field), for more the pages holding all its pairs (their worst field). */
  function pagesOf(word, shardFor) {
    var result = null;
    if (word.length === 1) {
      var shard = shardFor(word), union = {};
      Object.keys(shard).forEach(function (key) {
        if (key[0] !== word) return;
        var list = decode(shard[key]);
        for (var i = 0; i < list.length; i += 2) {
          var old = union[list[i]];
          if (old === undefined || list[i + 1] < old) union[list[i]] = list[i + 1];
        }
      });
      return union;
    }
    for (var k = 0; k + 1 < word.length; k++) {
      var key = word.substr(k, 2), postings = shardFor(key[0])[key];
      if (postings === undefined) return {};
      var list2 = decode(postings), next = {};
      for (var j = 0; j < list2.length; j += 2) {
        var page = list2[j];
        if (result === null) next[page] = list2[j + 1];
        else if (page in result) next[page] = Math.max(result[page], list2[j + 1]);
      }
      result = next;
    }
    return result;
  }

  /** Pages holding every character of `word` somewhere (the fallback when no page holds it). */
  function pagesWithCharacters(word, shardFor) {
    var result = null;
    for (var i = 0; i < word.length; i++) {
      var pages = pagesOf(word[i], shardFor);
      if (result === null) result = pages;
      else {
        var next = {};
        for (var p in result) if (p in pages) next[p] = Math.max(result[p], pages[p]);
        result = next;
      }
    }
    return result || {};
  }

  /** The ranked results of `query`: [{page, score, scattered}] best first, and which words
   * were found only as scattered characters. */
  function rank(terms, meta, shardFor) {
    var matches = null, scatteredWords = [];
    terms.forEach(function (word) {
      var pages = pagesOf(word, shardFor), scattered = false;
      if (Object.keys(pages).length === 0 && word.length > 1) {
        pages = pagesWithCharacters(word, shardFor);
        scattered = true;
        scatteredWords.push(word);
      }
      var next = {};
      for (var p in pages) {
        if (matches !== null && !(p in matches)) continue;
        var before = matches === null ? { score: 0, scattered: false } : matches[p];
        next[p] = { score: before.score + FIELD_WEIGHT[pages[p]] * (scattered ? 0.5 : 1),
                    scattered: before.scattered || scattered };
      }
      matches = next;
    });
    var whole = terms.join("");
    var results = Object.keys(matches || {}).map(function (key) {
      var page = Number(key), info = meta.pages[page], title = fold(info[1]);
      var score = matches[key].score + meta.weights[info[2]];  // casebook/render/search.py PAGE_TYPES
      if (title === whole) score += 500;  // the page named exactly what was typed
      else if (terms.length && title.indexOf(terms[0]) === 0) score += 20;
      return { page: page, score: score, scattered: matches[key].scattered };
    });
    results.sort(function (a, b) {
      return (a.scattered - b.scattered) || (b.score - a.score) || (a.page - b.page);
    });
    return { results: results, scatteredWords: scatteredWords };
  }

  /** Whether every word occurs as written in the page's title or one of its sections. */
  function holdsPhrases(terms, title, sections) {
    var text = fold(title + "\n" + sections.map(function (s) { return s[1] + "\n" + s[2]; }).join("\n"));
    return terms.every(function (w) { return text.indexOf(w) >= 0; });
  }

  /** The section to show and link to: the one holding the most words (exact first), earliest. */
  function bestSection(terms, sections) {
    var best = 0, bestScore = -1;
    sections.forEach(function (section, i) {
      var text = fold(section[1] + "\n" + section[2]), score = 0;
      terms.forEach(function (w) {
        if (text.indexOf(w) >= 0) score += 2;
        else if (w.split("").every(function (c) { return text.indexOf(c) >= 0; })) score += 1;
      });
      if (i === 0 && sections.length > 1) score -= 0.5;  // a case's header line: only if nothing better
      if (score > bestScore) { best = i; bestScore = score; }
    });
    return best;
  }

  /** [text, highlighted] pieces of a snippet of `text` around the first match. A word found
      nowhere whole has its characters marked one by one, unless it is whole in `shownWith` (the
      section's heading, shown beside the snippet: 卖米 in "第 3 步：王永庆卖米" is the match, not
      a 米 of the text below it). */
  function snippet(terms, text, length, shownWith) {
    length = length || 90;
    var folded = fold(text), marks = [], lead = Math.floor(length / 4), beside = fold(shownWith || "");
    var needles = terms.slice();
    terms.forEach(function (w) {
      if (folded.indexOf(w) < 0 && beside.indexOf(w) < 0 && w.length > 1) needles.push.apply(needles, w.split(""));
    });
    needles.forEach(function (w, n) {
      for (var at = folded.indexOf(w); at >= 0; at = folded.indexOf(w, at + w.length)) marks.push([at, at + w.length, n]);
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    // The window showing the most different words, the earliest of those.
    var first = -1, most = 0;
    marks.forEach(function (m) {
      var seen = {}, count = 0;
      marks.forEach(function (o) {
        if (o[0] >= m[0] && o[1] <= m[0] - lead + length && !seen[o[2]]) { seen[o[2]] = 1; count++; }
      });
      if (count > most) { most = count; first = m[0]; }
    });
    var start = first < 0 ? 0 : Math.max(0, first - lead);
    var end = Math.min(text.length, start + length);
    if (end - start < length) start = Math.max(0, end - length);
    var pieces = [], cursor = start;
    if (start > 0) pieces.push(["…", false]);
    marks.forEach(function (m) {
      var a = Math.max(m[0], cursor), b = Math.min(m[1], end);
      if (b <= a) return;
      if (a > cursor) pieces.push([text.slice(cursor, a), false]);
      pieces.push([text.slice(a, b), true]);
      cursor = b;
    });
    if (cursor < end) pieces.push([text.slice(cursor, end), false]);
    if (end < text.length) pieces.push(["…", false]);
    return pieces;
  }

  var api = { fold: fold, words: words, simplifier: simplifier, decode: decode, rank: rank,
              pagesOf: pagesOf, holdsPhrases: holdsPhrases, bestSection: bestSection, snippet: snippet };
  if (typeof module === "object" && module.exports) { module.exports = api; return; }

  /* ---- loading the index files ---- */

  var script = document.currentScript;
  var base = new URL("../", script.src).href;     // this file is assets/search.js
  var store = {}, waiting = {};
  root.casebookSearch = {
    loaded: function (name, value) {
      store[name] = value;
      (waiting[name] || []).forEach(function (done) { done[0](value); });
      delete waiting[name];
    }
  };

  function load(name, path) {
    if (name in store) return Promise.resolve(store[name]);
    return new Promise(function (resolve, reject) {
      if (waiting[name]) { waiting[name].push([resolve, reject]); return; }
      waiting[name] = [[resolve, reject]];
      var tag = document.createElement("script");
      tag.src = base + "search/" + path;
      tag.async = true;
      tag.onerror = function () {
        (waiting[name] || []).forEach(function (done) { done[1](new Error(path)); });
        delete waiting[name];
      };
      document.head.appendChild(tag);
    });
  }

  var metaPromise = null, simplify = null;
  function loadMeta() {
    if (!metaPromise) {
      metaPromise = load("meta", "meta.js").then(function (meta) {
        simplify = simplifier(meta.traditional);
        return meta;
      });
    }
    return metaPromise;
  }
  function shardNumber(meta, character) { return character.charCodeAt(0) % meta.shards; }
  function loadShards(meta, terms) {
    var needed = {};
    terms.forEach(function (w) { for (var i = 0; i < w.length; i++) needed[shardNumber(meta, w[i])] = 1; });
    return Promise.all(Object.keys(needed).map(function (n) { return load("p" + n, "p/" + n + ".js"); }));
  }
  /** Once a search has been made, the other shards of a small index, one at a time while the
   * page is idle: later keystrokes then never wait for a file. (A large index is left alone.) */
  var PREFETCH_MAX_SHARDS = 64;
  var prefetching = false;
  function prefetchShards(meta) {
    if (prefetching || meta.shards > PREFETCH_MAX_SHARDS) return;
    prefetching = true;
    var next = 0;
    (function step() {
      while (next < meta.shards && ("p" + next) in store) next++;
      if (next >= meta.shards) return;
      var n = next++;
      load("p" + n, "p/" + n + ".js").then(function () { setTimeout(step, 30); }, function () { setTimeout(step, 30); });
    })();
  }

  function loadTexts(meta, results) {
    var needed = {};
    results.forEach(function (r) { needed[meta.pages[r.page][3]] = 1; });
    return Promise.all(Object.keys(needed).map(function (n) { return load("t" + n, "t/" + n + ".js"); }));
  }
  function sectionsOf(meta, page) {
    var chunk = store["t" + meta.pages[page][3]] || [];
    for (var i = 0; i < chunk.length; i++) if (chunk[i][0] === page) return chunk[i][1];
    return [];
  }

  /* ---- the box ---- */

  function start() {
    var box = document.querySelector("[data-cb-search]");
    if (!box) return;
    var toggle = document.getElementById("__search");
    var input = box.querySelector("input[type=search]");
    var form = box.querySelector("form");
    var status = box.querySelector(".cb-search-status");
    var filters = box.querySelector(".cb-search-filters");
    var list = box.querySelector(".md-search-result__list");
    var more = box.querySelector(".cb-search-more");
    var current = { id: 0, results: [], shown: PAGE_SIZE, type: -1, terms: [] };

    function open() {
      if (toggle && !toggle.checked) toggle.checked = true;
      document.documentElement.classList.add("cb-search-open");
      loadMeta().catch(function () { status.textContent = "搜索索引没有找到：请重新生成网站"; });
    }
    function close() {
      if (toggle) toggle.checked = false;
      document.documentElement.classList.remove("cb-search-open");
      input.blur();
    }
    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

    function setStatus(text) { status.textContent = text; }

    function render(meta, id) {
      var visible = current.results.filter(function (r) { return current.type < 0 || meta.pages[r.page][2] === current.type; });
      var shownResults = visible.slice(0, current.shown);
      if (shownResults.some(function (r) { return !(("t" + meta.pages[r.page][3]) in store); })) {
        draw(meta, visible, shownResults);  // titles at once; snippets when their texts have come
      }
      return loadTexts(meta, shownResults).then(function () {
        if (id !== current.id) return;  // a newer query is on its way
        // Pages without the exact phrase (only its pairs, apart) go after those with it.
        var demoted = false;
        current.results.forEach(function (r) {
          if (!r.checked && shownResults.indexOf(r) >= 0) {
            r.checked = true;
            if (!r.scattered && !holdsPhrases(current.terms, meta.pages[r.page][1], sectionsOf(meta, r.page))) {
              r.scattered = true;
              demoted = true;
            }
          }
        });
        if (demoted) {
          current.results.sort(function (a, b) { return (a.scattered - b.scattered) || (b.score - a.score) || (a.page - b.page); });
          return render(meta, id);
        }
        draw(meta, visible, shownResults);
      });
    }

    function draw(meta, visible, shownResults) {
      var focused = links().indexOf(document.activeElement);  // kept across a redraw (arrow keys)
      list.textContent = "";
      shownResults.forEach(function (r) {
        var info = meta.pages[r.page], sections = sectionsOf(meta, r.page);
        var which = bestSection(current.terms, sections), section = sections[which] || ["", info[1], ""];
        var item = document.createElement("li");
        item.className = "md-search-result__item cb-search-result";
        var link = document.createElement("a");
        link.className = "md-search-result__link";
        link.href = base + info[0] + (section[0] ? "#" + section[0] : "");
        var article = document.createElement("article");
        article.className = "md-search-result__article md-typeset";
        var label = document.createElement("p");
        label.className = "cb-search-result__meta";
        var kind = document.createElement("span");
        kind.className = "cb-search-result__type";
        kind.textContent = meta.types[info[2]];
        label.appendChild(kind);
        if (section[0]) {
          var where = document.createElement("span");
          where.className = "cb-search-result__section";
          appendPieces(where, snippet(current.terms, section[1], 200));
          label.appendChild(where);
        }
        var title = document.createElement("h2");
        title.className = "cb-search-result__title";
        appendPieces(title, snippet(current.terms, info[1], 200));
        var text = document.createElement("p");
        text.className = "cb-search-result__snippet";
        appendPieces(text, snippet(current.terms, section[2] || (sections[0] || ["", "", ""])[2], 0,
                                   section[0] ? section[1] : info[1]));
        article.appendChild(label);
        article.appendChild(title);
        article.appendChild(text);
        link.appendChild(article);
        item.appendChild(link);
        list.appendChild(item);
      });
      if (focused >= 0 && links()[focused]) links()[focused].focus();
      more.hidden = visible.length <= shownResults.length;
      more.textContent = "显示更多（还有 " + (visible.length - shownResults.length) + " 个）";
    }

    function appendPieces(element, pieces) {
      pieces.forEach(function (piece) {
        if (piece[1]) {
          var mark = document.createElement("mark");
          mark.textContent = piece[0];
          element.appendChild(mark);
        } else element.appendChild(document.createTextNode(piece[0]));
      });
    }

    function drawFilters(meta) {
      filters.textContent = "";
      var counts = {};
      current.results.forEach(function (r) { var t = meta.pages[r.page][2]; counts[t] = (counts[t] || 0) + 1; });
      var types = Object.keys(counts).map(Number).sort(function (a, b) { return a - b; });
      if (types.length < 2) { filters.hidden = true; return; }
      filters.hidden = false;
      [-1].concat(types).forEach(function (t) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "cb-search-filter";
        button.textContent = (t < 0 ? "全部" : meta.types[t]) + " " + (t < 0 ? current.results.length : counts[t]);
        button.setAttribute("aria-pressed", String(current.type === t));
        button.addEventListener("click", function () {
          current.type = t;
          current.shown = PAGE_SIZE;
          drawFilters(meta);
          render(meta, current.id);
          input.focus();
        });
        filters.appendChild(button);
      });
    }

    function clear(message) {
      current.results = [];
      list.textContent = "";
      filters.hidden = true;
      more.hidden = true;
      setStatus(message);
    }

    function search() {
      var id = ++current.id, query = input.value;
      if (!query.trim()) {
        clear("输入要找的词，例如：卖米、顾客满意、CRM；多个词用空格分开");
        return Promise.resolve();
      }
      return loadMeta().then(function (meta) {
        var terms = words(query, simplify);
        if (!terms.length) {  // only punctuation or symbols: nothing to look for, so no old results either
          clear("“" + query.trim() + "”里没有可以搜索的字（汉字、字母或数字），所以没有搜索；请输入要找的词，例如：卖米、CRM");
          box.setAttribute("data-searched", query);
          return null;
        }
        return loadShards(meta, terms).then(function () {
          if (id !== current.id) return;
          var ranked = rank(terms, meta, function (c) { return store["p" + shardNumber(meta, c)] || {}; });
          current.results = ranked.results;
          current.terms = terms;
          current.shown = PAGE_SIZE;
          current.type = -1;
          if (!ranked.results.length) {
            list.textContent = "";
            filters.hidden = true;
            more.hidden = true;
            setStatus("没有找到包含“" + terms.join(" ") + "”的内容。提示：少输几个字、换个说法，" +
                      "或用空格分开多个词（例如 海尔 回访）");
            return;
          }
          var note = ranked.scatteredWords.length
            ? "（没有完整的“" + ranked.scatteredWords.join("”“") + "”，以下页面含有其中的字）" : "";
          setStatus("找到 " + ranked.results.length + " 个结果" + note);
          drawFilters(meta);
          return render(meta, id);
        }).then(function () {
          if (id === current.id) box.setAttribute("data-searched", query);  // done: for tests and tools
          loadMeta().then(prefetchShards);
        });
      }).catch(function () { setStatus("搜索索引没有找到：请重新生成网站"); });
    }

    root.casebookSearch.search = function (query) { input.value = query; open(); return search(); };

    input.addEventListener("focus", open);
    input.addEventListener("input", function (event) { if (!event.isComposing) search(); });
    input.addEventListener("compositionend", search);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = links()[0];
      if (first) first.click();
    });
    form.addEventListener("reset", function () { setTimeout(function () { search(); input.focus(); }, 0); });
    list.addEventListener("click", function (event) {
      // A result on this very page only scrolls to its section: close the box as Material does.
      if (event.target.closest && event.target.closest("a")) close();
    });
    more.addEventListener("click", function () {
      current.shown += PAGE_SIZE;
      loadMeta().then(function (meta) { return render(meta, current.id); });
    });
    if (toggle) {
      toggle.addEventListener("change", function () {
        if (toggle.checked) { input.focus(); open(); }
        else document.documentElement.classList.remove("cb-search-open");
      });
    }

    box.addEventListener("keydown", function (event) {
      var all = links(), at = all.indexOf(document.activeElement);
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      } else if (event.key === "ArrowDown" && all.length) {
        event.preventDefault();
        all[Math.min(at + 1, all.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        if (at === 0) input.focus();
        else all[at - 1].focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var editing = target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName));
      if (editing || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "/" || event.key === "s" || event.key === "S" || event.key === "f") {
        event.preventDefault();
        open();
        input.focus();
        input.select();  // typing replaces the last query
      }
    });
    setStatus("输入要找的词，例如：卖米、顾客满意、CRM；多个词用空格分开");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(this);
