/* Casebook catalogue: facet filters over data generated at build time (catalogue-data.js).
 * Plain JavaScript, no network: it works online and from file:// in the offline export.
 * Filters combine with AND across facets and OR within a facet; the state lives in the URL
 * query (?industry=retail&stage=after-sale&q=海尔&sort=period), so it can be shared and the back
 * button works. Sorting: by title in pinyin (the default, left out of the URL), by period, by industry.
 * On a phone the filter groups fold behind one "筛选（已选 N）" button so the cards come first.
 * All text is inserted with textContent: case data never becomes markup. */
(function () {
  "use strict";
  var data = window.CASEBOOK_CATALOGUE;
  var root = document.getElementById("cb-catalogue");
  if (!data || !root) return;

  var FACETS = data.facets; // [{key, label, values: [{key, name}]}]
  var SORTS = data.sorts; // [{key, label}], the first the default
  var state = readState();

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var s = { q: params.get("q") || "" };
    var sort = params.get("sort");
    s.sort = SORTS.some(function (o) { return o.key === sort; }) ? sort : SORTS[0].key;
    FACETS.forEach(function (f) {
      var raw = params.get(f.key);
      s[f.key] = raw ? raw.split(",").filter(Boolean) : [];
    });
    return s;
  }

  function writeState(push) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FACETS.forEach(function (f) {
      if (state[f.key].length) params.set(f.key, state[f.key].join(","));
    });
    if (state.sort !== SORTS[0].key) params.set("sort", state.sort);
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    try {
      if (push) window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    } catch (e) { /* some file:// setups refuse history changes: filtering still works */ }
  }

  function values(item, facetKey) {
    var v = item[facetKey];
    return Array.isArray(v) ? v : [v];
  }

  function matchesText(item, q) {
    if (!q) return true;
    var words = q.toLowerCase().split(/\s+/).filter(Boolean);
    return words.every(function (w) { return item.text.indexOf(w) !== -1; });
  }

  function matches(item, except) {
    if (!matchesText(item, state.q)) return false;
    return FACETS.every(function (f) {
      if (f.key === except || !state[f.key].length) return true;
      var have = values(item, f.key);
      return state[f.key].some(function (v) { return have.indexOf(v) !== -1; });
    });
  }

  // The pinyin order is computed at build time (casebook/index/order.py): each card has its place.
  function byTitle(a, b) { return a.titleRank - b.titleRank; }
  var ORDERS = {
    title: byTitle,
    period: function (a, b) {
      if (a.year !== b.year) {
        if (a.year === null) return 1;  // cases without a period last
        if (b.year === null) return -1;
        return a.year - b.year;
      }
      return byTitle(a, b);
    },
    industry: function (a, b) { return a.industryRank - b.industryRank || byTitle(a, b); }
  };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // --- static structure --------------------------------------------------------------------
  var search = el("input", "cb-search");
  search.type = "search";
  search.placeholder = "输入关键词筛选：企业、案例名、做法……";
  search.setAttribute("aria-label", "筛选案例");
  search.value = state.q;
  var controls = el("div", "cb-facets");
  controls.id = "cb-facets";
  controls.setAttribute("role", "group");
  controls.setAttribute("aria-label", "筛选条件");
  // The phone's way to the filters (CSS shows it below 45em only, and hides the groups until opened).
  var toggle = el("button", "cb-filter-toggle");
  toggle.type = "button";
  toggle.setAttribute("aria-controls", controls.id);
  toggle.setAttribute("aria-expanded", "false");
  toggle.addEventListener("click", function () {
    var open = !root.classList.contains("cb-filters-open");
    root.classList.toggle("cb-filters-open", open);
    toggle.setAttribute("aria-expanded", String(open));
  });
  var sortLabel = el("label", "cb-sort");
  sortLabel.appendChild(el("span", "", "排序"));
  var sortBox = document.createElement("select");
  SORTS.forEach(function (o) {
    var option = el("option", "", o.label);
    option.value = o.key;
    sortBox.appendChild(option);
  });
  sortBox.value = state.sort;
  sortBox.addEventListener("change", function () {
    state.sort = sortBox.value;
    writeState(true);
    render();
  });
  sortLabel.appendChild(sortBox);
  var tools = el("div", "cb-tools");
  tools.appendChild(toggle);
  tools.appendChild(sortLabel);
  var summary = el("p", "cb-summary");
  summary.setAttribute("aria-live", "polite");
  var reset = el("button", "cb-reset md-button", "清除筛选");
  reset.type = "button";
  var list = el("div", "cb-cards");
  root.textContent = "";
  root.appendChild(search);
  root.appendChild(tools);
  root.appendChild(controls);
  var bar = el("div", "cb-bar");
  bar.appendChild(summary);
  bar.appendChild(reset);
  root.appendChild(bar);
  root.appendChild(list);
  var fallback = document.getElementById("cb-static");
  if (fallback) fallback.hidden = true;

  var boxes = {};
  FACETS.forEach(function (f) {
    // A fold of Casebook's own (cb-fold in casebook.css), not Material's "note" box.
    var group = el("details", "cb-facet cb-fold");
    group.open = f.open || state[f.key].length > 0;
    group.appendChild(el("summary", "", f.label));
    var options = el("div", "cb-options");
    boxes[f.key] = {};
    f.values.forEach(function (v) {
      var label = el("label", "cb-option");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.value = v.key;
      box.dataset.facet = f.key;
      box.checked = state[f.key].indexOf(v.key) !== -1;
      box.addEventListener("change", function () {
        var selected = state[f.key];
        if (box.checked) selected.push(v.key);
        else selected.splice(selected.indexOf(v.key), 1);
        writeState(true);
        render();
      });
      var count = el("span", "cb-count");
      label.appendChild(box);
      label.appendChild(el("span", "cb-name", v.name));
      label.appendChild(count);
      options.appendChild(label);
      boxes[f.key][v.key] = { box: box, count: count, label: label };
    });
    group.appendChild(options);
    controls.appendChild(group);
  });

  search.addEventListener("input", function () {
    state.q = search.value.trim();
    writeState(false);
    render();
  });
  reset.addEventListener("click", function () {
    state.q = "";
    search.value = "";
    FACETS.forEach(function (f) { state[f.key] = []; });
    writeState(true);
    render();
  });
  window.addEventListener("popstate", function () {
    state = readState();
    search.value = state.q;
    sortBox.value = state.sort;
    render();
  });

  function card(item) {
    var article = el("article", "cb-card");
    article.dataset.case = item.id;
    var title = el("a", "cb-title", item.title);
    title.href = item.url;
    var heading = el("h2");
    heading.appendChild(title);
    article.appendChild(heading);
    var meta = el("p", "cb-meta");
    meta.appendChild(el("span", "cb-kind cb-kind--" + item.kind, item.kindName));
    [item.company, item.industryName].forEach(function (t) {
      if (t) meta.appendChild(el("span", "", t));
    });
    article.appendChild(meta);
    article.appendChild(el("p", "cb-text", item.summary));
    var stages = el("p", "cb-stages");
    item.stageNames.forEach(function (s) { stages.appendChild(el("span", "cb-chip", s)); });
    article.appendChild(stages);
    return article;
  }

  function render() {
    var shown = data.cases.filter(function (item) { return matches(item, null); });
    shown.sort(ORDERS[state.sort]);
    list.textContent = "";
    shown.forEach(function (item) { list.appendChild(card(item)); });
    summary.textContent = "显示 " + shown.length + " / " + data.cases.length + " 个案例";
    if (!shown.length) list.appendChild(el("p", "cb-none", "没有符合条件的案例：试着去掉一个筛选条件。"));
    var chosen = FACETS.reduce(function (n, f) { return n + state[f.key].length; }, 0);
    toggle.textContent = "筛选（已选 " + chosen + "）";
    FACETS.forEach(function (f) {
      var pool = data.cases.filter(function (item) { return matches(item, f.key); });
      f.values.forEach(function (v) {
        var n = pool.filter(function (item) { return values(item, f.key).indexOf(v.key) !== -1; }).length;
        var entry = boxes[f.key][v.key];
        entry.box.checked = state[f.key].indexOf(v.key) !== -1;
        entry.count.textContent = String(n);
        entry.label.classList.toggle("cb-option--empty", n === 0 && !entry.box.checked);
      });
    });
  }

  render();
})();
