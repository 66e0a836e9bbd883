/* Casebook self-study: “已读” on case pages and reading progress on learning paths.
 * Kept in the browser (localStorage), so it works offline and needs no account. */
(function () {
  "use strict";
  var KEY = "casebook:read";

  var memory = {}; // this page's marks when the browser refuses storage (private mode, a locked LMS frame)

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY)) || {}; } catch (e) { return memory; }
  }
  function save(read) {
    memory = read;
    try { window.localStorage.setItem(KEY, JSON.stringify(read)); } catch (e) { /* private mode */ }
  }

  function renderReadControl(box, read) {
    var id = box.getAttribute("data-case");
    var done = !!read[id];
    box.classList.toggle("cb-read--done", done);
    var button = box.querySelector("button");
    if (!button) {
      button = document.createElement("button");
      button.type = "button";
      button.className = "md-button";
      button.addEventListener("click", function () {
        var current = load();
        if (current[id]) delete current[id];
        else current[id] = 1;
        save(current);
        update();
        document.dispatchEvent(new CustomEvent("casebook:read", { detail: current }));
      });
      if (box.classList.contains("cb-read--end")) {
        box.appendChild(document.createTextNode("读完了？标记一下，学习路径会记下你的进度。"));
      }
      box.appendChild(button);
    }
    button.textContent = done ? "✓ 已读（点击取消）" : "标记为已读";
    button.setAttribute("aria-pressed", done ? "true" : "false");
  }

  function renderPath(list, read) {
    var steps = list.querySelectorAll("[data-case]");
    var count = 0;
    steps.forEach(function (step) {
      var done = !!read[step.getAttribute("data-case")];
      if (done) count += 1;
      step.classList.toggle("cb-step--read", done);
    });
    var progress = list.querySelector(".cb-progress");
    if (progress) {
      progress.textContent = "阅读进度：已读 " + count + " / " + steps.length +
        (count === steps.length && steps.length ? "，本路径已完成 🎉" : "");
    }
  }

  function update() {
    var read = load();
    document.querySelectorAll(".cb-read[data-case]").forEach(function (box) { renderReadControl(box, read); });
    document.querySelectorAll("[data-cb-path]").forEach(function (list) { renderPath(list, read); });
  }

  // Pages outside the navigation (cases, terms, frameworks, paths) name their section in the
  // breadcrumb: the tab pointing at that section's page is marked as the active one, and so is
  // the section's entry in the phone's menu (Material's drawer), as Material marks it for pages
  // in the navigation. Every marked entry of the drawer also says so to screen readers.
  function markSectionTab() {
    var section = document.querySelector(".cb-breadcrumb [data-cb-section]");
    if (section) {
      document.querySelectorAll(".md-tabs__link").forEach(function (link) {
        if (link.href !== section.href) return;
        var item = link.closest(".md-tabs__item");
        if (item) item.classList.add("md-tabs__item--active");
      });
      document.querySelectorAll(".md-nav--primary > .md-nav__list > .md-nav__item > a.md-nav__link").forEach(function (link) {
        if (link.href !== section.href) return;
        link.classList.add("md-nav__link--active");
        link.parentNode.classList.add("md-nav__item--active");
      });
    }
    document.querySelectorAll(".md-nav--primary a.md-nav__link--active").forEach(function (link) {
      if (link.getAttribute("href").charAt(0) === "#") return;  // the page's own table of contents
      var here = link.href.split("#")[0] === window.location.href.split(/[?#]/)[0];
      link.setAttribute("aria-current", here ? "page" : "true");
    });
  }

  // A table wider than the screen scrolls inside its box: the box takes the keyboard focus, so
  // that it can be scrolled with the arrow keys too, and says what it is.
  function sectionTitle(node) {
    for (var at = node.previousElementSibling; at; at = at.previousElementSibling) {
      if (/^H[1-6]$/.test(at.tagName)) return at.textContent.replace("¶", "").trim();
    }
    return "";
  }

  function focusableScrollBoxes() {
    var used = {};
    document.querySelectorAll(".md-typeset__scrollwrap, .cb-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var label = "表格：" + (sectionTitle(box) || document.title) + "（可左右滚动）";
        used[label] = (used[label] || 0) + 1;
        if (used[label] > 1) label += " " + used[label];
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", label);
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  // The hook for other scripts (the run-time of a SCORM package, casebook/export/): the read set
  // ({case id: 1}) through casebookRead.get() and casebookRead.set(read), which also redraws; each
  // change the reader makes is announced as a "casebook:read" event on document.
  window.casebookRead = { get: load, set: function (read) { save(read); update(); } };

  function start() {
    markSectionTab();
    focusableScrollBoxes();
    update();
  }

  window.addEventListener("resize", focusableScrollBoxes);

  window.addEventListener("storage", function (event) { if (event.key === KEY) update(); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
