// Page-side helpers of the e2e package. Evaluated fresh for each call (the
// Go side appends "return E.fn(args)"), so nothing stays in the page.
const E = (() => {
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const text = (el) => norm(el.textContent);
  const visible = (el) => {
    if (!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.display !== 'none';
  };
  const root = (scope) => {
    if (!scope) return document;
    const r = document.querySelector(scope);
    if (!r) throw new Error('nothing on the page matches ' + scope);
    return r;
  };
  const quote = (s) => JSON.stringify(s);
  const list = (xs) => xs.length ? xs.map(quote).join(', ') : '(none)';

  // Exact matches win; else prefix matches (e.g. a label with "(niet verplicht)").
  const pick = (items, want, nameOf) => {
    const exact = items.filter((x) => nameOf(x) === want);
    if (exact.length) return exact;
    return items.filter((x) => nameOf(x).startsWith(want));
  };

  const labelOf = (el) => {
    if (el.labels && el.labels.length) return text(el.labels[0]);
    if (el.getAttribute('aria-label')) return norm(el.getAttribute('aria-label'));
    const by = el.getAttribute('aria-labelledby');
    if (by) return norm(by.split(/\s+/).map((id) => { const l = document.getElementById(id); return l ? l.textContent : ''; }).join(' '));
    if (el.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(el.type)) return norm(el.value);
    return '';
  };
  const buttonText = (el) => el.tagName === 'INPUT' ? norm(el.value) : text(el);

  const describe = (el) => {
    if (el === null || el === undefined) el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return 'body (nothing focused)';
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    else if (el.classList && el.classList.length) s += '.' + [...el.classList].join('.');
    if (el.getAttribute('name')) s += '[name=' + el.getAttribute('name') + ']';
    if (el.tagName === 'INPUT') s += '[type=' + el.type + ']';
    if (el.tagName === 'A' && el.getAttribute('href')) s += '[href=' + el.getAttribute('href') + ']';
    let l = labelOf(el);
    if (!l && !['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)) l = text(el);
    if (l) s += ' ' + quote(l.length > 80 ? l.slice(0, 80) + '…' : l);
    return s;
  };

  // The point to click on el, after scrolling it into view; an error when
  // something else covers it.
  const target = (el, r) => {
    el.scrollIntoView({ block: 'center', inline: 'nearest', behavior: 'instant' });
    // A link that wraps over two lines has an empty middle: aim at its
    // first line box.
    const rects = el.getClientRects();
    const b = rects.length ? rects[0] : el.getBoundingClientRect();
    r.X = b.left + b.width / 2;
    r.Y = b.top + b.height / 2;
    const hit = document.elementFromPoint(r.X, r.Y);
    const labels = el.labels ? [...el.labels] : [];
    if (!hit || !(hit === el || el.contains(hit) || hit.contains(el) || labels.some((l) => l === hit || l.contains(hit)))) {
      r.Error = describe(el) + ' is covered by ' + (hit ? describe(hit) : 'nothing (off screen)');
    }
    return r;
  };

  // Whether activating el loads another document.
  const navigates = (el) => {
    if (!el) return false;
    if (el.tagName === 'A') {
      if ((el.target && el.target !== '_self') || el.hasAttribute('download') || !el.href) return false;
      const to = new URL(el.href, location.href);
      if (to.protocol !== 'http:' && to.protocol !== 'https:') return false;
      const here = new URL(location.href);
      const sameDoc = to.origin + to.pathname + to.search === here.origin + here.pathname + here.search;
      return !(sameDoc && to.hash !== '');
    }
    const type = (el.getAttribute('type') || (el.tagName === 'BUTTON' ? 'submit' : el.type || '')).toLowerCase();
    if (!(el.tagName === 'BUTTON' || el.tagName === 'INPUT') || !(type === 'submit' || type === 'image') || !el.form || el.disabled) return false;
    const form = el.form;
    if (!form.noValidate && !el.formNoValidate && !form.checkValidity()) return false;
    const t = el.formTarget || form.target;
    return !t || t === '_self';
  };

  const textTypes = ['text', 'email', 'password', 'search', 'tel', 'url', 'number', 'date', 'month', 'week', 'time', 'datetime-local'];

  return {
    describe,

    field(scope, label) {
      const labels = [...root(scope).querySelectorAll('label')].filter((l) => l.control);
      const hits = pick(labels, label, text);
      if (hits.length === 0) return { Error: 'no field is labelled ' + quote(label) + '; labels on the page: ' + list(labels.map(text)) };
      const controls = [...new Set(hits.map((l) => l.control))];
      if (controls.length > 1) return { Error: 'more than one field is labelled ' + quote(label) + ': ' + controls.map(describe).join('; ') };
      const el = controls[0];
      if (!['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)) return { Error: describe(el) + ' is not a text field' };
      if (el.tagName === 'INPUT' && ['radio', 'checkbox'].includes(el.type)) return { Error: describe(el) + ' is a ' + el.type + '; use Choose' };
      if (el.disabled || el.readOnly) return { Error: describe(el) + ' is disabled or read-only' };
      if (!visible(el)) return { Error: describe(el) + ' is not visible' };
      el.scrollIntoView({ block: 'center', behavior: 'instant' });
      el.focus();
      if (document.activeElement !== el) return { Error: describe(el) + ' does not take focus' };
      return { Desc: describe(el), Tag: el.tagName, Type: el.tagName === 'TEXTAREA' ? 'textarea' : el.type };
    },

    selectOption(value) {
      const el = document.activeElement;
      const opts = [...el.options];
      const hits = pick(opts, value, text);
      if (hits.length !== 1) return { Error: (hits.length ? 'more than one option' : 'no option') + ' reads ' + quote(value) + '; options: ' + list(opts.map(text)) };
      el.value = hits[0].value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return { Desc: describe(el) };
    },

    choiceInput(scope, legend, option) {
      const sets = [...root(scope).querySelectorAll('fieldset')];
      const legendOf = (fs) => { const l = fs.querySelector(':scope > legend'); return l ? text(l) : ''; };
      // A user cannot answer a hidden question (version 2 renders the
      // questions of other tiers hidden), so only visible ones count.
      const groups = pick(sets.filter((fs) => !fs.closest('[hidden]')), legend, legendOf);
      if (groups.length === 0) return { Error: 'no fieldset has the legend ' + quote(legend) + '; legends on the page: ' + list(sets.map(legendOf).filter(Boolean)) };
      if (groups.length > 1) return { Error: 'more than one fieldset has the legend ' + quote(legend) };
      const inputs = [...groups[0].querySelectorAll('input[type=radio], input[type=checkbox]')];
      const hits = pick(inputs, option, labelOf);
      if (hits.length === 0) return { Error: 'no option ' + quote(option) + ' in ' + quote(legendOf(groups[0])) + '; options: ' + list(inputs.map(labelOf)) };
      if (hits.length > 1) return { Error: 'more than one option reads ' + quote(option) + ': ' + hits.map(describe).join('; ') };
      return { el: hits[0] };
    },

    choice(scope, legend, option) {
      const c = E.choiceInput(scope, legend, option);
      if (c.Error) return c;
      const el = c.el;
      if (el.disabled) return { Error: describe(el) + ' is disabled' };
      const r = { Desc: describe(el), Checked: el.type === 'checkbox' ? el.checked : el.checked };
      if (r.Checked) return r;
      // Click the input itself when it can be hit; else its label (custom
      // radios often hide the native input under a styled label).
      const onInput = target(el, { Desc: r.Desc });
      if (!onInput.Error && el.getBoundingClientRect().width >= 4) return onInput;
      if (el.labels && el.labels.length) {
        const onLabel = target(el.labels[0], { Desc: r.Desc });
        if (!onLabel.Error) return onLabel;
      }
      return onInput.Error ? onInput : { Error: describe(el) + ' is too small to click and has no label' };
    },

    isChecked(scope, legend, option) {
      const c = E.choiceInput(scope, legend, option);
      return !c.Error && c.el.checked;
    },

    button(scope, want) {
      const all = [...root(scope).querySelectorAll('button, input[type=submit], input[type=button], input[type=reset], input[type=image], [role=button]')].filter(visible);
      const hits = pick(all, want, buttonText);
      if (hits.length === 0) return { Error: 'no visible button reads ' + quote(want) + '; buttons on the page: ' + list(all.map(buttonText)) };
      if (hits.length > 1) return { Error: 'more than one button reads ' + quote(want) + ' (use Within): ' + hits.map(describe).join('; ') };
      const el = hits[0];
      if (el.disabled) return { Error: describe(el) + ' is disabled' };
      return target(el, { Desc: describe(el), Nav: navigates(el) });
    },

    link(scope, want) {
      const all = [...root(scope).querySelectorAll('a[href]')].filter(visible);
      const hits = pick(all, want, text);
      if (hits.length === 0) return { Error: 'no visible link reads ' + quote(want) + '; links on the page: ' + list(all.map(text)) };
      const hrefs = new Set(hits.map((a) => a.href));
      if (hrefs.size > 1) return { Error: 'more than one link reads ' + quote(want) + ' (use Within): ' + hits.map(describe).join('; ') };
      const el = hits[0];
      return target(el, { Desc: describe(el), Nav: navigates(el) });
    },

    // Whether pressing Enter or Space on the focused element loads a page.
    keyNavigates(key) {
      const el = document.activeElement;
      if (!el || el === document.body) return false;
      if (el.tagName === 'A') return key === 'Enter' && navigates(el);
      if (el.tagName === 'BUTTON' || (el.tagName === 'INPUT' && ['submit', 'image'].includes(el.type))) return navigates(el);
      if (key === 'Enter' && el.tagName === 'INPUT' && textTypes.includes(el.type) && el.form) {
        // Implicit submission through the form's default button.
        const def = el.form.querySelector('button:not([type]), button[type=submit], input[type=submit], input[type=image]');
        if (def) return navigates(def);
        const fields = [...el.form.elements].filter((f) => f.tagName === 'INPUT' && textTypes.includes(f.type));
        return fields.length === 1 && (el.form.noValidate || el.form.checkValidity());
      }
      return false;
    },

    // Horizontal overflow at the given width: scrollWidth and the innermost
    // elements that stick out.
    overflow(width) {
      const sw = document.documentElement.scrollWidth;
      if (sw <= width) return { ScrollWidth: sw, Offenders: [] };
      const out = [...document.body.querySelectorAll('*')].filter((el) => {
        const b = el.getBoundingClientRect();
        return b.width > 0 && b.right > width + 0.5;
      });
      const innermost = out.filter((el) => !out.some((o) => o !== el && el.contains(o)));
      const offenders = innermost.slice(0, 10).map((el) => describe(el) + ' (right edge at ' + Math.round(el.getBoundingClientRect().right) + ' px)');
      if (!document.querySelector('meta[name=viewport]')) offenders.unshift('the page has no <meta name="viewport" content="width=device-width, initial-scale=1">');
      return { ScrollWidth: sw, Offenders: offenders };
    },
  };
})();
