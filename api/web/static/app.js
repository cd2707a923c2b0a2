// Weerbaar — progressive enhancement only: every form works without it.
(function () {
  "use strict";
  // The field a summary link points at: the control itself, and what to
  // scroll to so its question stays in view (the legend of its group, or
  // its label).
  function linkTarget(a) {
    var hash = a.getAttribute("href") || "";
    if (hash.charAt(0) !== "#") { return null; }
    var el = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!el) { return null; }
    var fieldset = el.closest("fieldset");
    var legend = (el.type === "radio" || el.type === "checkbox") && fieldset ? fieldset.querySelector("legend") : null;
    var label = el.id ? document.querySelector("label[for=\"" + CSS.escape(el.id) + "\"]") : null;
    return { field: el, view: legend || label || el };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      // After a failed submit the summary's heading takes focus (the
      // heading, not the region: a screen reader reads "Er is een probleem"
      // and the links follow in reading order).
      var heading = summary.querySelector("h2[tabindex]") || summary;
      heading.focus();
      // Each link moves focus to its field, with the question above it in
      // view (the browser alone would scroll the input to the very top and
      // hide its label).
      summary.addEventListener("click", function (e) {
        var a = e.target.closest("a");
        if (!a) { return; }
        var t = linkTarget(a);
        if (!t) { return; }
        e.preventDefault();
        if (history.pushState) { history.pushState(null, "", a.getAttribute("href")); }
        t.view.scrollIntoView();
        t.field.focus({ preventScroll: true });
      });
    }
    // A link to a field (a change link of the review, "#email" after a
    // summary link): focus that field when the page opens, with its label
    // or legend in view. The browser only scrolls to it.
    if (!summary && location.hash.length > 1) {
      var t = linkTarget({ getAttribute: function () { return location.hash; } });
      if (t && /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.field.tagName) && !t.field.disabled) {
        t.view.scrollIntoView();
        t.field.focus({ preventScroll: true });
      }
    }
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { e.preventDefault(); }
      });
    });
  });
})();
