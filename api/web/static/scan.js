// Weerbaar — the candidate's scan pages. Progressive enhancement only: every
// form works without this file. It adds autosave per question, live
// show/hide of follow-up questions, and list rows without a page reload.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  // ---- values, built exactly like the server's form parser (candidate.go) ----

  // parseNumber reads "12,5", "1.500", "€ 300" and "12.5"; null when it is
  // not a number (the text is then sent as is and the server says why).
  function parseNumber(s) {
    s = s.replace(/\s+/g, "");
    if (s.charAt(0) === "€") { s = s.slice(1); }
    if (s.indexOf(",") >= 0) {
      s = s.replace(/\./g, "").replace(",", ".");
    } else if (/^-?\d{1,3}(\.\d{3})+$/.test(s)) {
      s = s.replace(/\./g, "");
    }
    if (!/^-?\d+(\.\d+)?$/.test(s)) { return null; }
    return parseFloat(s);
  }

  function scalar(type, s) {
    s = (s || "").trim();
    if (s === "") { return null; }
    if (type === "yesno") {
      if (s === "ja") { return true; }
      if (s === "nee") { return false; }
      return s;
    }
    if (type === "number" || type === "scale") {
      var n = parseNumber(s);
      return n === null ? s : n;
    }
    return s;
  }

  // fieldRaw is the text of one list field: the checked radio or the input.
  function fieldRaw(field) {
    var type = field.getAttribute("data-ftype");
    if (type === "yesno" || type === "choice") {
      var checked = field.querySelector("input[type=radio]:checked");
      return checked ? checked.value : "";
    }
    var input = field.querySelector("input[type=text], textarea");
    return input ? input.value : "";
  }

  function listItems(q) {
    var box = q.querySelector("[data-list-items]");
    return box ? Array.prototype.filter.call(box.children, function (el) { return el.hasAttribute("data-list-item"); }) : [];
  }

  // listValue: send, value, and whether an item misses a required field
  // (incomplete) or "none" is ticked next to filled-in items (conflict).
  function listValue(q) {
    var emptyBox = q.querySelector("[data-list-empty]");
    var items = [];
    var incomplete = false;
    var disabled = false;
    listItems(q).forEach(function (row) {
      var item = {};
      var blank = true;
      var missing = false;
      each(row.querySelectorAll("[data-field]"), function (f) {
        var input = f.querySelector("input, textarea");
        if (input && input.disabled) { disabled = true; }
        var v = scalar(f.getAttribute("data-ftype"), fieldRaw(f));
        if (v === null) {
          if (f.hasAttribute("data-required")) { missing = true; }
          return;
        }
        item[f.getAttribute("data-field")] = v;
        blank = false;
      });
      if (blank) { return; }
      if (missing) { incomplete = true; }
      items.push(item);
    });
    if (emptyBox && emptyBox.checked) {
      if (items.length > 0 && !disabled) { return { send: false, conflict: true, value: items }; }
      return { send: true, value: [] };
    }
    if (items.length === 0) { return { send: true, value: null }; }
    return { send: true, value: items, incomplete: incomplete };
  }

  function questionValue(q) {
    var type = q.getAttribute("data-type");
    var id = q.getAttribute("data-question");
    if (type === "list") { return listValue(q); }
    if (type === "multichoice") {
      var vals = [];
      each(q.querySelectorAll("input[type=checkbox]:checked"), function (el) { vals.push(el.value); });
      return { send: true, value: vals.length ? vals : null };
    }
    if (type === "yesno" || type === "choice" || type === "scale") {
      var checked = q.querySelector("input[type=radio][name=\"" + id + "\"]:checked");
      if (!checked) { return { send: false }; }
      return { send: true, value: scalar(type, checked.value) };
    }
    var input = q.querySelector("#" + CSS.escape(id));
    if (!input) { return { send: false }; }
    return { send: true, value: scalar(type, input.value) };
  }

  ready(function () {
    var form = document.querySelector("form[data-scan-form]");
    // The page's language gives the autosave messages (data-msg-*).
    function text(name, nl) { return (form && form.getAttribute("data-msg-" + name)) || nl; }
    if (!form) { return; }
    var csrfInput = form.querySelector("input[name=_csrf]");
    var csrf = csrfInput ? csrfInput.value : "";
    var status = form.querySelector("[data-autosave]");
    var visibleList = form.querySelector("[data-visible-list]");

    function question(id) { return form.querySelector("[data-question=\"" + id + "\"]"); }

    // ---- live show_if ----

    function evalCond(c) {
      var q = question(c.q);
      if (!q) { return null; }
      var r = q.hidden ? { send: true, value: null } : questionValue(q);
      var v = r.value;
      if (Object.prototype.hasOwnProperty.call(c, "eq")) { return v === c.eq; }
      if (c.nonempty) { return Array.isArray(v) && v.length > 0; }
      if (Object.prototype.hasOwnProperty.call(c, "has")) { return Array.isArray(v) && v.indexOf(c.has) >= 0; }
      if (Array.isArray(c["in"])) { return c["in"].indexOf(v) >= 0; }
      return null;
    }

    function updateVisibility() {
      each(form.querySelectorAll("[data-show-if]"), function (q) {
        var cond;
        try { cond = JSON.parse(q.getAttribute("data-show-if")); } catch (e) { return; }
        var show = evalCond(cond);
        if (show !== null) { q.hidden = !show; }
      });
      if (visibleList) {
        var ids = [];
        each(form.querySelectorAll("[data-question]"), function (q) {
          if (!q.hidden) { ids.push(q.getAttribute("data-question")); }
        });
        visibleList.value = ids.join(" ");
      }
    }

    // ---- messages ----

    function announce(msg, failed) {
      if (!status) { return; }
      status.textContent = msg;
      status.classList.toggle("failed", !!failed);
    }

    function hhmm() {
      var d = new Date();
      return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
    }

    function describedTarget(q) {
      return q.querySelector(":scope > fieldset") || q.querySelector("input[type=text], textarea");
    }

    function clearError(q) {
      each(q.querySelectorAll(".error-message"), function (el) {
        each(q.querySelectorAll("[aria-describedby]"), function (t) {
          var ids = t.getAttribute("aria-describedby").split(/\s+/).filter(function (x) { return x && x !== el.id; });
          if (ids.length) { t.setAttribute("aria-describedby", ids.join(" ")); } else { t.removeAttribute("aria-describedby"); }
        });
        el.parentNode.removeChild(el);
      });
      each(q.querySelectorAll("[aria-invalid]"), function (el) { el.removeAttribute("aria-invalid"); });
      each(q.querySelectorAll(".field-error"), function (el) { el.classList.remove("field-error"); });
      q.classList.remove("field-error");
    }

    function showError(q, msg) {
      clearError(q);
      var id = q.getAttribute("data-question") + "-autosave-error";
      var p = document.createElement("p");
      p.className = "error-message";
      p.id = id;
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = text("error", "Fout:") + " ";
      p.appendChild(hidden);
      p.appendChild(document.createTextNode(msg));
      var target = describedTarget(q);
      var anchor = null;
      if (target && target.tagName === "FIELDSET") {
        anchor = target.querySelector(":scope > legend");
        each(target.querySelectorAll(":scope > .hint, :scope > .why-details"), function (el) { anchor = el; });
        if (anchor) { anchor.insertAdjacentElement("afterend", p); } else { target.insertBefore(p, target.firstChild); }
      } else if (target) {
        target.insertAdjacentElement("beforebegin", p);
        target.setAttribute("aria-invalid", "true");
      }
      if (target) {
        var ids = (target.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
        ids.push(id);
        target.setAttribute("aria-describedby", ids.join(" "));
      }
      q.classList.add("field-error");
    }

    // ---- autosave ----

    var timers = {};
    var busy = {};
    var again = {};
    var lastSent = {};
    // What a save while typing found out, shown only once the candidate
    // leaves the question (validation on blur or submit, never while typing).
    var pending = {};

    function settle(q, res) {
      var id = q.getAttribute("data-question");
      delete pending[id];
      if (res.ok) {
        clearError(q);
        return;
      }
      showError(q, res.msg);
      announce(text("notsaved", "Niet opgeslagen:") + " " + res.msg, true);
    }

    function body(id, value) {
      var answers = {};
      answers[id] = value;
      return JSON.stringify({ answers: answers });
    }

    // save sends one answer; typing says the candidate is still in the
    // field: the answer is saved, but the error state of the question stays
    // as it is until they leave it.
    function save(q, typing) {
      var id = q.getAttribute("data-question");
      if (q.hidden) { return; }
      var r = questionValue(q);
      if (!r.send || r.incomplete || r.conflict) { return; }
      var b = body(id, r.value);
      if (lastSent[id] === b) {
        if (!typing && pending[id]) { settle(q, pending[id]); }
        return;
      }
      if (busy[id]) { again[id] = true; return; }
      busy[id] = true;
      fetch("/api/v1/me/answers", {
        method: "PATCH",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: b,
        credentials: "same-origin"
      }).then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          var still = typing && q.contains(document.activeElement);
          if (res.ok) {
            lastSent[id] = b;
            announce(text("saved", "Opgeslagen om") + " " + hhmm(), false);
            if (still) { pending[id] = { ok: true }; } else { settle(q, { ok: true }); }
            return;
          }
          var e = data && data.error ? data.error : {};
          var msg = (e.fields && e.fields[id]) || e.message || text("retry", "Probeer het opnieuw.");
          if (still) { pending[id] = { ok: false, msg: msg }; } else { settle(q, { ok: false, msg: msg }); }
        });
      }, function () {
        announce(text("offline", "Niet opgeslagen: er is geen verbinding. Uw antwoord staat nog op de pagina. Probeer het zo opnieuw."), true);
      }).then(function () {
        busy[id] = false;
        if (again[id]) {
          again[id] = false;
          save(q, typing);
        }
      });
    }

    function schedule(q, delay, typing) {
      var id = q.getAttribute("data-question");
      clearTimeout(timers[id]);
      timers[id] = setTimeout(function () { save(q, typing); }, delay);
    }

    // What the page holds now counts as saved.
    each(form.querySelectorAll("[data-question]"), function (q) {
      var r = questionValue(q);
      if (r.send && !r.conflict) { lastSent[q.getAttribute("data-question")] = body(q.getAttribute("data-question"), r.value); }
    });

    // ---- lists ----

    function firstInput(el) {
      return el ? el.querySelector("input:not([type=hidden]):not([disabled]), textarea:not([disabled])") : null;
    }

    function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

    function lowerFirst(s) { return s.charAt(0).toLowerCase() + s.slice(1); }

    function renumber(q) {
      var id = q.getAttribute("data-question");
      var list = q.querySelector("[data-item-name]");
      var name = list ? list.getAttribute("data-item-name") : "Regel";
      var re = new RegExp("^(" + escapeRe(id) + "[.-])\\d+(?=[.-]|$)");
      listItems(q).forEach(function (item, i) {
        each(item.querySelectorAll("*"), function (el) {
          ["name", "id", "for"].forEach(function (a) {
            var v = el.getAttribute(a);
            if (v) { el.setAttribute(a, v.replace(re, "$1" + i)); }
          });
          var d = el.getAttribute("aria-describedby");
          if (d) {
            el.setAttribute("aria-describedby", d.split(/\s+/).map(function (x) { return x.replace(re, "$1" + i); }).join(" "));
          }
        });
        var legend = item.querySelector("legend");
        if (legend) {
          legend.id = id + "-" + i + "-legend";
          legend.textContent = name + " " + (i + 1);
        }
        var remove = item.querySelector("[data-list-remove]");
        if (remove) {
          remove.value = "verwijderen:" + id + ":" + i;
          var label = remove.querySelector(".visually-hidden");
          if (label) { label.textContent = " " + lowerFirst(name) + " " + (i + 1); }
        }
      });
    }

    function addItem(q, focus) {
      var tpl = q.querySelector("template[data-list-template]");
      var box = q.querySelector("[data-list-items]");
      if (!tpl || !box) { return; }
      var n = listItems(q).length;
      var wrap = document.createElement("div");
      wrap.innerHTML = tpl.innerHTML.replace(/__I__/g, String(n)).replace(/__N__/g, String(n + 1));
      var item = wrap.querySelector("[data-list-item]");
      enhanceButtons(item);
      box.appendChild(item);
      renumber(q);
      if (focus) {
        var f = firstInput(item);
        if (f) { f.focus(); }
      }
    }

    function removeItem(item) {
      var q = item.closest("[data-question]");
      var items = listItems(q);
      var i = items.indexOf(item);
      var list = q.querySelector("[data-item-name]");
      var name = list ? list.getAttribute("data-item-name") : "Regel";
      item.parentNode.removeChild(item);
      renumber(q);
      var rest = listItems(q);
      var target = i > 0 ? firstInput(rest[i - 1]) : null;
      if (!target) { target = q.querySelector("[data-list-add]"); }
      if (target) { target.focus(); }
      announce(name + " " + (i + 1) + " is verwijderd.", false);
      updateVisibility();
      save(q);
    }

    // applyEmpty hides (and disables) the rows while "none" is ticked; fill
    // adds an empty row when unticking leaves none.
    function applyEmpty(q, checked, fill) {
      var box = q.querySelector("[data-list-items]");
      var add = q.querySelector("[data-list-add]");
      if (box) {
        box.hidden = checked;
        each(box.querySelectorAll("input, textarea, button"), function (el) { el.disabled = checked; });
      }
      if (add) { add.hidden = checked; }
      if (!checked && fill && listItems(q).length === 0) { addItem(q, false); }
    }

    // On load, "none" ticked hides the rows, unless the server reported a
    // conflict (ticked and filled in): then both stay visible.
    each(form.querySelectorAll("[data-list-empty]:checked"), function (box) {
      var q = box.closest("[data-question]");
      if (!q.querySelector(".error-message")) { applyEmpty(q, true, false); }
    });

    // With this script the list buttons act in the page: they no longer
    // submit the form (without it they do, and the server adds or removes).
    function enhanceButtons(root) {
      each(root.querySelectorAll("[data-list-add], [data-list-remove]"), function (btn) { btn.type = "button"; });
    }
    enhanceButtons(form);

    form.addEventListener("click", function (e) {
      var btn = e.target.closest("button");
      if (!btn || !form.contains(btn)) { return; }
      if (btn.hasAttribute("data-list-add")) {
        e.preventDefault();
        var q = btn.closest("[data-question]");
        var none = q.querySelector("[data-list-empty]");
        var wasNone = none && none.checked;
        if (wasNone) {
          none.checked = false;
          applyEmpty(q, false, false);
        }
        addItem(q, true);
        updateVisibility();
        if (wasNone) { schedule(q, 0); }
      } else if (btn.hasAttribute("data-list-remove")) {
        e.preventDefault();
        removeItem(btn.closest("[data-list-item]"));
      }
    });

    // ---- events ----

    form.addEventListener("change", function (e) {
      var t = e.target;
      var q = t.closest("[data-question]");
      if (!q) { return; }
      if (t.hasAttribute("data-list-empty")) { applyEmpty(q, t.checked, true); }
      if (t.type === "checkbox" && q.getAttribute("data-type") === "multichoice" && t.checked) {
        // An exclusive option ("geen") cannot be combined with others.
        each(q.querySelectorAll("input[type=checkbox]:checked"), function (other) {
          if (other !== t && (t.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive"))) { other.checked = false; }
        });
      }
      updateVisibility();
      schedule(q, 0);
    });

    form.addEventListener("input", function (e) {
      var t = e.target;
      var q = t.closest("[data-question]");
      if (!q || !(t.matches("input[type=text]") || t.matches("textarea"))) { return; }
      updateVisibility();
      if (q.getAttribute("data-type") !== "list") { schedule(q, 800, true); }
    });

    // Leaving a question (blur): what a save while typing found is shown now.
    form.addEventListener("focusout", function (e) {
      var q = e.target.closest("[data-question]");
      if (!q || (e.relatedTarget && q.contains(e.relatedTarget))) { return; }
      var id = q.getAttribute("data-question");
      if (pending[id] && !busy[id]) { settle(q, pending[id]); }
    });

    updateVisibility();
  });
})();
