// Autosaved forms (livret 1, livret 2, entretien d'accueil, livrets of the voie formative):
// every <form hx-post hx-target="#autosave-status"> (or <form data-autosave>).
//
// When a save is refused because the session expired (401, or a redirect to the login page),
// fails on the network or on the server (5xx), or is refused as stale (409), the values of the
// form are kept in localStorage under "cqp-draft:<page path>#<form id>". When the page is loaded
// again (typically after logging in again), the kept values are put back into the form and saved,
// unless a newer version was saved in the meantime: then the newer version stays displayed and the
// person chooses to restore the kept values or to forget them. A successful save forgets the draft.
(function () {
  'use strict';

  const PREFIX = 'cqp-draft:';
  const MAX_AGE_MS = 30 * 24 * 3600 * 1000; // a draft older than 30 days is forgotten
  const SKIP = ['csrfmiddlewaretoken', 'version'];
  const SKIP_TYPES = ['file', 'submit', 'button', 'reset', 'image'];
  const pending = new Set(); // forms whose values are kept in this browser, not yet saved

  function isAutosaveForm(el) {
    return el instanceof HTMLFormElement &&
      (el.hasAttribute('data-autosave') || el.getAttribute('hx-target') === '#autosave-status');
  }

  // The element that sent the request (evt.detail.elt is the swap target in htmx:beforeSwap).
  function requestForm(evt) {
    const config = evt.detail.requestConfig;
    return (config && config.elt) || evt.detail.elt;
  }

  function autosaveForms() {
    return Array.from(document.querySelectorAll('form')).filter(isAutosaveForm);
  }

  function draftKey(form) {
    return PREFIX + window.location.pathname + '#' + (form.id || form.getAttribute('hx-post') || 'form');
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function readDraft(form) {
    const store = storage();
    if (!store) return null;
    try {
      const draft = JSON.parse(store.getItem(draftKey(form)));
      if (!draft || !Array.isArray(draft.values)) return null;
      if (Date.now() - (draft.savedAt || 0) > MAX_AGE_MS) { store.removeItem(draftKey(form)); return null; }
      return draft;
    } catch (e) { return null; }
  }

  function currentVersion(form) {
    const field = form.elements.namedItem('version');
    return field && field.value !== undefined ? String(field.value) : null;
  }

  function fields(form) {
    return Array.from(form.elements).filter(function (el) {
      return el.name && !el.disabled && SKIP.indexOf(el.name) === -1 && SKIP_TYPES.indexOf(el.type) === -1;
    });
  }

  function formValues(form) {
    const values = [];
    fields(form).forEach(function (el) {
      if (el.type === 'checkbox' || el.type === 'radio') {
        if (el.checked) values.push([el.name, el.value]);
      } else if (el.tagName === 'SELECT' && el.multiple) {
        Array.from(el.selectedOptions).forEach(function (option) { values.push([el.name, option.value]); });
      } else {
        values.push([el.name, el.value]);
      }
    });
    return values;
  }

  function keepDraft(form, options) {
    const store = storage();
    if (!store) return;
    const previous = readDraft(form);
    const draft = {
      values: formValues(form),
      // The version the kept values were typed over: restored silently only over that same version.
      version: previous && previous.version !== undefined && pending.has(form) ? previous.version : currentVersion(form),
      conflict: Boolean((options && options.conflict) || (previous && previous.conflict && pending.has(form))),
      savedAt: Date.now(),
    };
    try { store.setItem(draftKey(form), JSON.stringify(draft)); } catch (e) { return; }
    pending.add(form);
  }

  function forgetDraft(form) {
    pending.delete(form);
    const store = storage();
    if (store) store.removeItem(draftKey(form));
  }

  function sameValues(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  // Put the kept values back into the form; returns the fields that changed.
  function applyValues(form, values) {
    values.forEach(function (pair) {
      const match = pair[0].match(/^(.+)-TOTAL_FORMS$/);
      if (match) {
        form.dispatchEvent(new CustomEvent('cqp:need-rows', {
          bubbles: true, detail: {prefix: match[1], total: parseInt(pair[1], 10)},
        }));
      }
    });
    const byName = new Map();
    values.forEach(function (pair) {
      if (!byName.has(pair[0])) byName.set(pair[0], []);
      byName.get(pair[0]).push(pair[1]);
    });
    const seen = new Map();
    const changed = [];
    fields(form).forEach(function (el) {
      const wanted = byName.get(el.name) || [];
      let differs = false;
      if (el.type === 'checkbox' || el.type === 'radio') {
        const checked = wanted.indexOf(el.value) !== -1;
        if (el.checked !== checked) { el.checked = checked; differs = true; }
      } else if (el.tagName === 'SELECT' && el.multiple) {
        Array.from(el.options).forEach(function (option) {
          const selected = wanted.indexOf(option.value) !== -1;
          if (option.selected !== selected) { option.selected = selected; differs = true; }
        });
      } else {
        const index = seen.get(el.name) || 0;
        seen.set(el.name, index + 1);
        if (index < wanted.length && el.value !== wanted[index]) { el.value = wanted[index]; differs = true; }
      }
      if (differs) changed.push(el);
    });
    return changed;
  }

  function statusBox(form) {
    const selector = form.getAttribute('hx-target') || '#autosave-status';
    return document.querySelector(selector) || document.getElementById('autosave-status');
  }

  function loginUrl() {
    const meta = document.querySelector('meta[name="cqp-login-url"]');
    const base = meta ? meta.getAttribute('content') : '/accounts/login/';
    return base + '?next=' + encodeURIComponent(window.location.pathname + window.location.search);
  }

  function redirectedToLogin(xhr) {
    const meta = document.querySelector('meta[name="cqp-login-url"]');
    if (!meta || !xhr.responseURL) return false;
    try {
      return new URL(xhr.responseURL).pathname === new URL(meta.getAttribute('content'), window.location.href).pathname;
    } catch (e) { return false; }
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function showInStatus(form, alert) {
    const box = statusBox(form);
    if (!box) return;
    box.replaceChildren(alert);
  }

  function sessionExpiredAlert() {
    const alert = element('div', 'alert alert-danger mb-0');
    alert.setAttribute('role', 'alert');
    alert.setAttribute('data-draft-session', '');
    alert.append(element('strong', '', 'Votre session a expiré : rien n\'est perdu.'));
    alert.append(' Vos saisies non enregistrées sont conservées dans ce navigateur. ');
    const link = element('a', '', 'Reconnectez-vous');
    link.href = loginUrl();
    alert.append(link);
    alert.append(' : de retour sur cette page, elles seront restaurées puis enregistrées.');
    return alert;
  }

  function conflictNote() {
    const note = element('div', 'alert alert-warning mt-2 mb-0');
    note.setAttribute('data-draft-conflict', '');
    note.append('Vos saisies non enregistrées sont conservées dans ce navigateur. ');
    const reload = element('button', 'btn btn-sm btn-outline-primary', 'Afficher la version enregistrée');
    reload.type = 'button';
    reload.addEventListener('click', function () { window.location.reload(); });
    note.append(reload);
    note.append(' Vous pourrez ensuite restaurer vos saisies ou les supprimer.');
    return note;
  }

  function notice(form, className, text) {
    const box = element('div', 'alert ' + className + ' alert-dismissible');
    box.setAttribute('role', 'status');
    box.setAttribute('data-draft-notice', '');
    box.append(text);
    const close = element('button', 'btn-close');
    close.type = 'button';
    close.setAttribute('data-bs-dismiss', 'alert');
    close.setAttribute('aria-label', 'Fermer');
    box.append(close);
    const existing = document.querySelector('[data-draft-notice]');
    if (existing) existing.remove();
    form.parentNode.insertBefore(box, form);
    return box;
  }

  function restore(form, draft) {
    const changed = applyValues(form, draft.values);
    notice(form, 'alert-info', 'Vos saisies non enregistrées ont été restaurées.');
    // Kept again, now over the version displayed, until the save below succeeds.
    forgetDraft(form);
    keepDraft(form);
    // One change event per restored field: the autosave (hx-trigger "change delay:…") sends them once.
    changed.forEach(function (el) { el.dispatchEvent(new Event('change', {bubbles: true})); });
    if (!changed.length) form.dispatchEvent(new Event('change', {bubbles: true}));
  }

  function offerRestore(form, draft) {
    const box = notice(form, 'alert-warning',
      'Une version plus récente a été enregistrée depuis vos dernières saisies non enregistrées : c\'est elle qui est affichée. ' +
      'Vos saisies sont conservées dans ce navigateur. ');
    const actions = element('span', 'd-inline-flex flex-wrap gap-2');
    const restoreButton = element('button', 'btn btn-sm btn-primary', 'Restaurer mes saisies');
    restoreButton.type = 'button';
    restoreButton.setAttribute('data-draft-restore', '');
    const discardButton = element('button', 'btn btn-sm btn-outline-secondary', 'Supprimer mes saisies');
    discardButton.type = 'button';
    discardButton.setAttribute('data-draft-discard', '');
    actions.append(restoreButton, discardButton);
    box.insertBefore(actions, box.querySelector('.btn-close'));
    restoreButton.addEventListener('click', function () {
      box.remove();
      // Saved over the version now displayed: the person chose to.
      restore(form, draft);
    });
    discardButton.addEventListener('click', function () {
      forgetDraft(form);
      box.remove();
    });
  }

  function restoreOnLoad() {
    autosaveForms().forEach(function (form) {
      const draft = readDraft(form);
      if (!draft) return;
      if (sameValues(draft.values, formValues(form))) { forgetDraft(form); return; }
      const version = currentVersion(form);
      if (draft.conflict || (draft.version !== null && version !== null && draft.version !== version)) {
        offerRestore(form, draft);
      } else {
        restore(form, draft);
      }
    });
  }

  // Refused saves: keep the values, say so. Runs after the page-specific handlers (listens on document).
  document.addEventListener('htmx:beforeSwap', function (evt) {
    const form = requestForm(evt);
    if (!isAutosaveForm(form)) return;
    const xhr = evt.detail.xhr;
    const status = xhr.status;
    const fragment = evt.detail.serverResponse && !/<html/i.test(evt.detail.serverResponse);
    if (status === 401 || (status < 300 && redirectedToLogin(xhr))) {
      evt.detail.shouldSwap = false;
      evt.detail.isError = false;
      keepDraft(form);
      showInStatus(form, sessionExpiredAlert());
    } else if (status === 409) {
      keepDraft(form, {conflict: true});
      evt.detail.shouldSwap = Boolean(fragment);
      evt.detail.isError = false;
      if (!fragment) {
        const alert = element('div', 'alert alert-danger mb-0',
          'Enregistrement refusé : une version plus récente a été enregistrée entre-temps.');
        alert.setAttribute('role', 'alert');
        showInStatus(form, alert);
      }
    } else if (status >= 500) {
      evt.detail.shouldSwap = false;
      keepDraft(form);
      const alert = element('div', 'alert alert-warning mb-0',
        'Erreur du serveur : rien n\'a été enregistré. Vos saisies restent dans la page, sont conservées dans ce navigateur ' +
        'et seront enregistrées à la prochaine modification.');
      alert.setAttribute('role', 'alert');
      showInStatus(form, alert);
    } else if ((status === 400 || status === 403) && fragment) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    } else if (status === 403) {
      // A whole page: the CSRF check failed (security token gone or changed). Reloading gives a new one.
      evt.detail.shouldSwap = false;
      keepDraft(form);
      const alert = element('div', 'alert alert-danger mb-0',
        'Enregistrement refusé : le jeton de sécurité de la page a expiré. Vos saisies sont conservées dans ce navigateur. ');
      alert.setAttribute('role', 'alert');
      const reload = element('button', 'btn btn-sm btn-outline-primary', 'Recharger la page');
      reload.type = 'button';
      reload.addEventListener('click', function () { window.location.reload(); });
      alert.append(reload);
      alert.append(' : elles seront restaurées puis enregistrées.');
      showInStatus(form, alert);
    }
  });

  document.addEventListener('htmx:afterRequest', function (evt) {
    const form = requestForm(evt);
    if (!isAutosaveForm(form)) return;
    const xhr = evt.detail.xhr;
    if (xhr.status >= 200 && xhr.status < 300 && !redirectedToLogin(xhr)) {
      forgetDraft(form);
    } else if (xhr.status === 409) {
      const box = statusBox(form);
      if (box && !box.querySelector('[data-draft-conflict]')) box.append(conflictNote());
    }
  });

  document.addEventListener('htmx:sendError', function (evt) {
    const form = requestForm(evt);
    if (!isAutosaveForm(form)) return;
    keepDraft(form);
    const alert = element('div', 'alert alert-warning mb-0',
      'Connexion perdue : vos saisies restent dans la page et seront enregistrées à la prochaine modification. ' +
      'Elles sont aussi conservées dans ce navigateur.');
    showInStatus(form, alert);
  });

  // While values are kept, keep them up to date (the person may follow the login link right away).
  function refreshPending(evt) {
    const form = evt.target.form || evt.target.closest && evt.target.closest('form');
    if (form && pending.has(form)) keepDraft(form);
  }
  document.addEventListener('input', refreshPending);
  document.addEventListener('change', refreshPending);
  window.addEventListener('pagehide', function () { pending.forEach(function (form) { keepDraft(form); }); });

  // The kept values were restored and saved in another tab: this page is now behind.
  window.addEventListener('storage', function (evt) {
    if (!evt.key || evt.key.indexOf(PREFIX) !== 0 || evt.newValue !== null) return;
    autosaveForms().forEach(function (form) {
      if (evt.key !== draftKey(form) || !pending.has(form)) return;
      pending.delete(form);
      const alert = element('div', 'alert alert-info mb-0',
        'Vos saisies ont été enregistrées depuis un autre onglet. ');
      const reload = element('button', 'btn btn-sm btn-outline-primary', 'Recharger cette page');
      reload.type = 'button';
      reload.addEventListener('click', function () { window.location.reload(); });
      alert.append(reload);
      showInStatus(form, alert);
    });
  });

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', restoreOnLoad);
  else restoreOnLoad();
})();
