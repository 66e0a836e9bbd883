/* Casebook in a learning management system: the SCORM 1.2 run-time of an exported package
 * (dist/scorm/*.zip, written by casebook/export/scorm.py). Only the pages of a package load this
 * file; the ordinary site and the offline zips never do.
 *
 * When a page finds the LMS's API (the standard search through parents and openers), the LMS's
 * record is the trainee's progress: the read marks are restored from cmi.suspend_data on every
 * page, and each change is written back with the score (the share of the package's cases read),
 * the lesson status, the page as the bookmark and the session time, then committed. Without an
 * API nothing happens and the pages keep their marks in localStorage, as the offline export does.
 *
 * It talks to the pages through the hook of assets/casebook.js: casebookRead.get()/set(read) and
 * the "casebook:read" event. The suspend data encoding (encode/decode) also runs under node, for
 * the tests. */
(function (root) {
  "use strict";
  var LIMIT = 4096; // characters of cmi.suspend_data in SCORM 1.2
  var VERSION = "cb1";
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  // The read set as suspend data. Two forms, both starting with the version:
  //   cb1:i:alpha,gamma        the ids themselves, while they fit: survives a package made from a
  //                            later library (cases added or removed);
  //   cb1:b:<fingerprint>:<bits> one bit per case of the package's order, six to a character
  //                            (10,000 cases: at most 1,680 characters); the fingerprint of the
  //                            order makes a package with other cases ignore it, not misread it.
  // null when not even the bits fit (more than about 24,000 cases).
  function encode(read, order, fingerprint) {
    var ids = order.filter(function (id) { return read[id]; });
    var plain = VERSION + ":i:" + ids.join(",");
    if (plain.length <= LIMIT) return plain;
    var bits = "";
    for (var at = 0; at < order.length; at += 6) {
      var value = 0;
      for (var bit = 0; bit < 6 && at + bit < order.length; bit += 1) {
        if (read[order[at + bit]]) value |= 1 << bit;
      }
      bits += DIGITS.charAt(value);
    }
    var packed = VERSION + ":b:" + fingerprint + ":" + bits.replace(/A+$/, "");
    return packed.length <= LIMIT ? packed : null;
  }

  // The read set stored by `encode`, or null when the text is not one (empty, another tool's
  // data, a later version, bits of a package with other cases).
  function decode(text, order, fingerprint) {
    var parts = String(text || "").split(":");
    var read = {};
    if (parts[0] !== VERSION) return null;
    if (parts[1] === "i" && parts.length === 3) {
      var known = {};
      order.forEach(function (id) { known[id] = true; });
      parts[2].split(",").forEach(function (id) { if (known[id]) read[id] = 1; });
      return read;
    }
    if (parts[1] === "b" && parts.length === 4 && parts[2] === fingerprint) {
      for (var at = 0; at < parts[3].length; at += 1) {
        var value = DIGITS.indexOf(parts[3].charAt(at));
        if (value < 0) return null;
        for (var bit = 0; bit < 6; bit += 1) {
          var id = order[at * 6 + bit];
          if (value & (1 << bit) && id !== undefined) read[id] = 1;
        }
      }
      return read;
    }
    return null;
  }

  // SCORM 1.2's CMITimespan: HHHH:MM:SS.SS.
  function timespan(ms) {
    var centis = Math.max(0, Math.round(ms / 10));
    function two(n) { return (n < 10 ? "0" : "") + n; }
    var hours = Math.min(9999, Math.floor(centis / 360000));
    return two(hours) + ":" + two(Math.floor(centis / 6000) % 60) + ":" + two(Math.floor(centis / 100) % 60) +
      "." + two(centis % 100);
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { encode: encode, decode: decode, timespan: timespan, LIMIT: LIMIT };
    return;
  }

  var pkg = root.casebookScormPackage;
  var hook = root.casebookRead;
  var script = document.currentScript;
  if (!pkg || !hook || !script) return;

  // The standard API search (ADL): up through the parents, then from the opener's.
  function search(win) {
    for (var hops = 0; win && hops < 16; hops += 1) {
      try {
        if (win.API && typeof win.API.LMSInitialize === "function") return win.API;
      } catch (e) { /* a frame of another site */ }
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  function findApi() {
    var api = search(root);
    try { if (!api && root.opener) api = search(root.opener); } catch (e) { /* closed or foreign */ }
    try { if (!api && root.top.opener) api = search(root.top.opener); } catch (e) { /* closed or foreign */ }
    return api;
  }

  var api = findApi();
  if (!api) return; // not in an LMS: the offline behaviour, with localStorage

  function get(name) { return String(api.LMSGetValue(name)); }
  function set(name, value) { return String(api.LMSSetValue(name, value)) === "true"; }

  var page = script.getAttribute("data-page") || "";

  // One session per launch, across the package's pages: a page finds it already initialised or
  // starts it (error 301, not initialised; an LMS that does not say so refuses the first value).
  get("cmi.core.lesson_status");
  var fresh = String(api.LMSGetLastError()) === "301" || !set("cmi.core.lesson_location", page.slice(0, 255));
  if (fresh && String(api.LMSInitialize("")) !== "true") return;
  var status = get("cmi.core.lesson_status");
  var START = "casebook:scorm-start";
  var started = Date.now();
  try {
    if (fresh) root.sessionStorage.setItem(START, String(started));
    else started = Number(root.sessionStorage.getItem(START)) || started;
  } catch (e) { /* no session storage: this page's own time */ }

  // Once completed, a package stays completed: taking a mark back does not undo a report.
  var completedBefore = status === "completed" || status === "passed";
  var counted = pkg.counted || pkg.cases;
  var stored = get("cmi.core.suspend_data");
  var restored = decode(stored, pkg.cases, pkg.fingerprint);
  // The LMS's record is this trainee's, on any device: it replaces the browser's marks (which on a
  // shared training-room computer may be someone else's). A record this package cannot read
  // (another version's bits) restores nothing, and is replaced at the next change.
  if (restored || !stored || fresh) hook.set(restored || {});
  if (stored && !restored && root.console) root.console.warn("Casebook: cmi.suspend_data 无法读取，阅读记录从空开始");

  var finished = false;

  function report() {
    if (finished) return;
    var read = hook.get();
    var count = counted.filter(function (id) { return read[id]; }).length;
    var complete = completedBefore || (counted.length > 0 && count === counted.length);
    var data = encode(read, pkg.cases, pkg.fingerprint);
    if (data !== null) set("cmi.core.suspend_data", data);
    else if (root.console) root.console.warn("Casebook: 案例太多，阅读记录超出 cmi.suspend_data 的长度，只在本机保存");
    set("cmi.core.lesson_location", page.slice(0, 255));
    set("cmi.core.score.min", "0");
    set("cmi.core.score.max", "100");
    set("cmi.core.score.raw", String(counted.length ? Math.floor(100 * count / counted.length) : 100));
    set("cmi.core.lesson_status", complete ? "completed" : "incomplete");
    set("cmi.core.exit", complete ? "" : "suspend");
    set("cmi.core.session_time", timespan(Date.now() - started));
    api.LMSCommit("");
  }

  // Leaving a page for another page of the package keeps the session; anything else (the LMS
  // closing the frame, the window closing) ends it. A link click says where the reader goes, and
  // the Navigation API, where the browser has it, says so for every navigation.
  var packageRoot = new URL("..", script.src).href;
  var internal = false;
  function inPackage(url) {
    var target = new URL(url, root.location.href);
    target.hash = "";
    return target.href.indexOf(packageRoot) === 0;
  }
  root.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (!event.defaultPrevented && link && !link.target && inPackage(link.href)) internal = true;
  });
  if (root.navigation && root.navigation.addEventListener) {
    root.navigation.addEventListener("navigate", function (event) {
      internal = !!event.destination && inPackage(event.destination.url);
    });
  }
  // Links out of the package (a case's sources) open beside it, so the course stays open.
  document.querySelectorAll("a[href]").forEach(function (link) {
    if (/^https?:/.test(link.href) && !inPackage(link.href)) {
      link.target = "_blank";
      link.rel = "noopener";
    }
  });

  root.addEventListener("pagehide", function () {
    if (finished) return;
    set("cmi.core.session_time", timespan(Date.now() - started));
    api.LMSCommit("");
    if (!internal) {
      finished = true;
      api.LMSFinish("");
    }
  });
  document.addEventListener("casebook:read", report);
  report();
})(this);
