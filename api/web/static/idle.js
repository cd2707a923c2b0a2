// Weerbaar — the idle warning (WCAG 2.2.1) and unsaved input kept in this
// tab. Progressive enhancement: without it the session still ends idle and
// every form still works.
//
// The server tells the page (data-session-* on <body>) how many seconds are
// left before the session ends idle; every authenticated response repeats it
// in a header (the scan's autosave keeps the session alive). The page never
// extends the session by itself: only "Ingelogd blijven" does
// (POST /sessie/verlengen).
//
// Unsaved input of the forms on the page is kept in sessionStorage (this tab
// only, gone when the tab closes), per user under a hashed key, without
// passwords, codes or tokens, and not for the scan's step form (its answers
// autosave to the server). It is cleared on submit once the next page shows
// the user signed in, and on logout; it is put back when the user comes back
// to the form, e.g. after signing in again.
(function () {
  "use strict";

  var PREFIX = "weerbaar.invoer.";
  var SENT = "weerbaar.verzonden";
  var BACK = "weerbaar.terug";
  var MAX_AGE = 12 * 3600 * 1000; // the absolute session lifetime
  var HEADER = "X-Session-Idle-Seconds-Left";

  function ready(fn) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); } else { fn(); }
  }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  var store = null;
  try { store = window.sessionStorage; } catch (e) { store = null; }
  function get(k) { try { return store ? store.getItem(k) : null; } catch (e) { return null; } }
  function put(k, v) { try { if (store) { store.setItem(k, v); } } catch (e) { /* full or blocked: nothing kept */ } }
  function drop(k) { try { if (store) { store.removeItem(k); } } catch (e) { /* ignore */ } }
  function keys() {
    var out = [];
    if (!store) { return out; }
    for (var i = 0; i < store.length; i++) { out.push(store.key(i)); }
    return out;
  }
  function clearAll() {
    keys().forEach(function (k) { if (k && (k.indexOf(PREFIX) === 0 || k === SENT || k === BACK)) { drop(k); } });
  }

  // hash is a short, non-reversible-enough name for a form (no ids of
  // candidates or files in the storage key).
  function hash(s) {
    var h1 = 0x811c9dc5, h2 = 0x01000193;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 16777619) >>> 0;
      h2 = Math.imul(h2 ^ c, 2246822519) >>> 0;
    }
    return h1.toString(36) + h2.toString(36);
  }

  // ---- unsaved input ----

  var SECRET = /(^_csrf$|passw|wachtwoord|code|token|secret)/i;

  function kept(el) {
    if (!el.name || el.disabled) { return false; }
    var tag = el.tagName.toLowerCase(), type = (el.type || "").toLowerCase();
    if (tag !== "input" && tag !== "textarea" && tag !== "select") { return false; }
    if (["hidden", "password", "file", "submit", "button", "reset", "image"].indexOf(type) >= 0) { return false; }
    if (SECRET.test(el.name) || SECRET.test(el.id || "") || /one-time-code|password/.test(el.getAttribute("autocomplete") || "")) { return false; }
    return true;
  }

  function fields(form) { return Array.prototype.filter.call(form.elements, kept); }

  function isLogout(form) { return (form.getAttribute("action") || "") === "/uitloggen"; }

  function tracked(form) {
    return (form.method || "").toLowerCase() === "post" && !isLogout(form) &&
      !form.hasAttribute("data-scan-form") && !form.hasAttribute("data-no-draft") && fields(form).length > 0;
  }

  function snapshot(form) {
    return fields(form).map(function (el) {
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") { return { n: el.name, c: el.checked }; }
      if (el.tagName.toLowerCase() === "select" && el.multiple) {
        return { n: el.name, m: Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; }) };
      }
      return { n: el.name, v: el.value };
    });
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function apply(form, vals) {
    var els = fields(form);
    if (els.length !== vals.length) { return false; }
    for (var i = 0; i < els.length; i++) { if (els[i].name !== vals[i].n) { return false; } }
    els.forEach(function (el, i) {
      var v = vals[i];
      if (Object.prototype.hasOwnProperty.call(v, "c")) { el.checked = v.c; } else if (v.m) {
        each(el.options, function (o) { o.selected = v.m.indexOf(o.value) >= 0; });
      } else { el.value = v.v; }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
    return true;
  }

  function setupDrafts(user, dialog) {
    var now = Date.now();
    // Old input (beyond any session's lifetime) goes.
    keys().forEach(function (k) {
      if (k && k.indexOf(PREFIX) === 0) {
        try { if (now - JSON.parse(get(k)).t > MAX_AGE) { drop(k); } } catch (e) { drop(k); }
      }
    });
    // A form sent from this tab reached the server with a live session.
    var sent = get(SENT);
    if (sent) { drop(sent); drop(SENT); }

    var forms = Array.prototype.filter.call(document.querySelectorAll("main form"), tracked);
    forms.forEach(function (form, i) {
      var key = PREFIX + user + "." + hash(location.pathname + "|" + (form.getAttribute("action") || "") + "|" + i);
      var initial = snapshot(form);
      var saved = null;
      try { saved = JSON.parse(get(key) || "null"); } catch (e) { saved = null; }
      if (saved && saved.v && !same(saved.v, initial) && apply(form, saved.v)) {
        var note = document.createElement("div");
        note.className = "notice";
        note.setAttribute("role", "status");
        note.setAttribute("data-idle-restored", "");
        var p = document.createElement("p");
        p.textContent = dialog.getAttribute("data-restored");
        note.appendChild(p);
        form.parentNode.insertBefore(note, form);
        initial = null; // what is on the form now is not saved yet
      } else if (saved) {
        drop(key);
      }
      function keep() {
        var vals = snapshot(form);
        if (initial && same(vals, initial)) { drop(key); return; }
        put(key, JSON.stringify({ t: Date.now(), v: vals }));
      }
      form.addEventListener("input", keep);
      form.addEventListener("change", keep);
      form.addEventListener("submit", function (e) {
        keep();
        if (!e.defaultPrevented) { put(SENT, key); } // not when a confirm() was declined
      });
    });
    each(document.querySelectorAll("form[action='/uitloggen']"), function (f) {
      f.addEventListener("submit", clearAll);
    });
  }

  // ---- the warning ----

  function two(n) { return (n < 10 ? "0" : "") + n; }

  ready(function () {
    var body = document.body;
    var dialog = document.querySelector("[data-idle-dialog]");
    if (!dialog || !body.hasAttribute("data-session-idle-left")) { return; }
    var user = body.getAttribute("data-session-key") || "anon";
    setupDrafts(user, dialog);

    // A candidate who signed in again (by a new link, in this tab) lands on
    // /scan: back to the page where the session ended.
    try {
      var back = JSON.parse(get(BACK) || "null");
      drop(BACK);
      if (back && back.u === user && location.pathname === "/scan" && /^\/scan\/[^/]/.test(back.p)) {
        location.replace(back.p);
        return;
      }
    } catch (e) { drop(BACK); }

    var warnMs = (parseInt(body.getAttribute("data-session-warn"), 10) || 120) * 1000;
    var deadline = Date.now() + (parseInt(body.getAttribute("data-session-idle-left"), 10) || 0) * 1000;
    var warning = dialog.querySelector("[data-idle-warning]");
    var ended = dialog.querySelector("[data-idle-ended]");
    var countdown = dialog.querySelector("[data-idle-countdown]");
    var live = dialog.querySelector("[data-idle-live]");
    var error = dialog.querySelector("[data-idle-error]");
    var stay = dialog.querySelector("[data-idle-stay]");
    var signin = dialog.querySelector("[data-idle-signin]");
    var csrf = dialog.querySelector("[data-idle-csrf]").value;
    var state = "idle"; // idle | warning | ended
    var returnTo = null;
    var announced = {};
    var busy = false;

    function open() {
      if (dialog.open) { return; }
      if (typeof dialog.showModal === "function") { dialog.showModal(); } else { dialog.setAttribute("open", ""); }
    }
    function close() {
      if (typeof dialog.close === "function" && dialog.open) { dialog.close(); } else { dialog.removeAttribute("open"); }
    }

    function setLeft(seconds) {
      deadline = Date.now() + Math.max(0, seconds) * 1000;
      announced = {};
    }

    function showWarning() {
      state = "warning";
      returnTo = document.activeElement && document.activeElement !== document.body ? document.activeElement : null;
      error.hidden = true;
      warning.hidden = false;
      ended.hidden = true;
      tick();
      open();
      stay.focus();
    }

    function showEnded() {
      state = "ended";
      // Where to come back to after signing in again (candidates; users
      // carry it in the sign-in link).
      put(BACK, JSON.stringify({ u: user, p: location.pathname + location.search }));
      warning.hidden = true;
      ended.hidden = false;
      open();
      var h = ended.querySelector("h2");
      if (h) { h.focus(); } else if (signin) { signin.focus(); }
    }

    function hideWarning() {
      state = "idle";
      close();
      var to = returnTo;
      returnTo = null;
      if (to && document.contains(to) && typeof to.focus === "function") { to.focus(); }
    }

    function tick() {
      var left = Math.ceil((deadline - Date.now()) / 1000);
      if (left <= 0) {
        if (state !== "ended") { showEnded(); }
        return;
      }
      if (state === "idle") {
        if (left * 1000 <= warnMs) { showWarning(); }
        return;
      }
      if (state === "warning") {
        if (left * 1000 > warnMs) { hideWarning(); return; } // kept alive meanwhile (autosave)
        countdown.textContent = Math.floor(left / 60) + ":" + two(left % 60);
        // The live region speaks at a few moments only, not every second.
        [60, 30].forEach(function (at) {
          if (left <= at && left > at - 5 && !announced[at] && warnMs > at * 1000) {
            announced[at] = true;
            live.textContent = dialog.getAttribute(at === 60 ? "data-live-minute" : "data-live-seconds");
          }
        });
      }
    }

    function keepAlive() {
      if (busy) { return; }
      busy = true;
      fetch("/sessie/verlengen", {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf, "Accept": "application/json" }
      }).then(function (res) {
        if (res.status === 401) { showEnded(); return; }
        if (!res.ok) { throw new Error(String(res.status)); }
        return res.json().then(function (st) {
          setLeft(st.seconds_left);
          hideWarning();
        });
      }).catch(function () {
        error.textContent = dialog.getAttribute("data-failed");
        error.hidden = false;
      }).then(function () { busy = false; });
    }

    stay.addEventListener("click", keepAlive);
    dialog.addEventListener("cancel", function (e) {
      // Escape: stay signed in (the ended state stays until the user signs in).
      e.preventDefault();
      if (state === "warning") { keepAlive(); }
    });

    // Requests this page makes (the scan's autosave) keep the session alive:
    // the server says how long is left.
    if (typeof window.fetch === "function") {
      var realFetch = window.fetch;
      window.fetch = function () {
        return realFetch.apply(this, arguments).then(function (res) {
          var h = res.headers && res.headers.get(HEADER);
          if (h !== null && h !== undefined && h !== "" && state !== "ended") {
            setLeft(parseInt(h, 10) || 0);
          }
          return res;
        });
      };
    }

    setInterval(tick, 1000);
    document.addEventListener("visibilitychange", tick);
    tick();
  });
})();
