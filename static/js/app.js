// Site-wide behaviour. No inline script anywhere (Content-Security-Policy script-src 'self'):
// pages declare behaviour with data-* attributes, handled here.
(function () {
  'use strict';

  function cookie(name) {
    const match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return match ? decodeURIComponent(match[1]) : '';
  }

  function sameOrigin(path) {
    try { return new URL(path, window.location.href).origin === window.location.origin; } catch (e) { return false; }
  }

  // Always send the current CSRF token with htmx requests: after logging in again in another tab,
  // the token has changed and the one rendered in the page is no longer valid.
  document.addEventListener('htmx:configRequest', function (evt) {
    const token = cookie('csrftoken');
    if (!token || !sameOrigin(evt.detail.path)) return;
    evt.detail.headers['X-CSRFToken'] = token;
    if (evt.detail.formData) { evt.detail.formData.set('csrfmiddlewaretoken', token); }
    else if (evt.detail.parameters) { evt.detail.parameters['csrfmiddlewaretoken'] = token; }
  });

  // <form data-confirm="Question ?">: ask before submitting (replaces onsubmit="return confirm(…)").
  document.addEventListener('submit', function (evt) {
    const form = evt.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-confirm')) return;
    if (!window.confirm(form.getAttribute('data-confirm'))) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
    }
  }, true);

  // <input type="checkbox" data-select-all="ids">: checks or unchecks every box named "ids" of its form.
  document.addEventListener('change', function (evt) {
    const box = evt.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute('data-select-all') || !box.form) return;
    box.form.querySelectorAll('input[type="checkbox"][name="' + box.getAttribute('data-select-all') + '"]')
      .forEach(function (el) { el.checked = box.checked; });
  });

  // A box of a group with a data-select-all box: the latter is checked when every box of the group is.
  document.addEventListener('change', function (evt) {
    const box = evt.target;
    if (!(box instanceof HTMLInputElement) || box.type !== 'checkbox' || !box.form || box.hasAttribute('data-select-all')) return;
    const all = box.form.querySelector('input[data-select-all="' + box.name + '"]');
    if (!all) return;
    const boxes = box.form.querySelectorAll('input[type="checkbox"][name="' + box.name + '"]');
    all.checked = Array.prototype.every.call(boxes, function (el) { return el.checked; });
  });

  // <p data-route-preview="units" data-route-map='{"1": "…"}'><strong data-route-label>: where a choice of units
  // leads (the number of boxes « units » checked → the label the server computed from the CQP's rule).
  function routePreviews() {
    document.querySelectorAll('[data-route-preview]').forEach(function (el) {
      const form = el.closest('form');
      const label = el.querySelector('[data-route-label]');
      if (!form || !label) return;
      const map = JSON.parse(el.getAttribute('data-route-map') || '{}');
      const name = el.getAttribute('data-route-preview');
      const count = form.querySelectorAll('input[type="checkbox"][name="' + name + '"]:checked').length;
      label.textContent = map[String(count)] || 'choisissez au moins une unité';
    });
  }
  document.addEventListener('change', function () { routePreviews(); });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', routePreviews);
  else routePreviews();

  // <div class="progress-bar" data-width="42">: width set through the CSSOM (inline style attributes are refused by the CSP).
  function applyWidths(root) {
    (root || document).querySelectorAll('[data-width]').forEach(function (el) {
      const value = parseFloat(el.getAttribute('data-width').replace(',', '.'));
      if (!isNaN(value)) el.style.width = Math.max(0, Math.min(100, value)) + '%';
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { applyWidths(); });
  else applyWidths();
  // After every htmx swap (including out-of-band swaps of the progress bar).
  document.addEventListener('htmx:afterSettle', function () { applyWidths(); });

  // A table that scrolls sideways in its .table-responsive container (phones): reachable and scrollable with the
  // keyboard, and named after its caption or the heading before it (axe-core « scrollable-region-focusable »).
  function scrollableTables(root) {
    (root || document).querySelectorAll('.table-responsive').forEach(function (box) {
      if (box.hasAttribute('tabindex') || box.scrollWidth <= box.clientWidth + 1) return;
      box.setAttribute('tabindex', '0');
      if (!box.hasAttribute('role')) box.setAttribute('role', 'region');
      if (!box.hasAttribute('aria-label') && !box.hasAttribute('aria-labelledby')) {
        const caption = box.querySelector('caption');
        let heading = null;
        for (let el = box; el && !heading; el = el.parentElement) {
          for (let prev = el.previousElementSibling; prev && !heading; prev = prev.previousElementSibling) {
            if (/^(H[1-6]|LEGEND)$/.test(prev.tagName)) heading = prev;
          }
        }
        const name = (caption || heading || {}).textContent;
        box.setAttribute('aria-label', name ? name.trim().replace(/\s+/g, ' ') : 'Tableau');
      }
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { scrollableTables(); });
  else scrollableTables();
  window.addEventListener('resize', function () { scrollableTables(); });
  document.addEventListener('htmx:afterSettle', function () { scrollableTables(); });

  // Signing out on a shared computer: forget the drafts kept in this browser (see autosave.js).
  document.addEventListener('submit', function (evt) {
    if (!(evt.target instanceof HTMLFormElement) || !evt.target.hasAttribute('data-clear-drafts')) return;
    try {
      Object.keys(window.localStorage).forEach(function (key) {
        if (key.indexOf('cqp-draft:') === 0) window.localStorage.removeItem(key);
      });
    } catch (e) { /* storage unavailable: nothing kept */ }
  });
})();
