// Livret 1 and livret 2 edit pages (was templates/vae/_livret1_scripts.html).
// The CSRF refresh is site-wide (app.js); the autosave drafts are in autosave.js.
(function () {
  'use strict';

  // Refusals (expired session 401, not allowed 403, stale version 409, bad upload 400) carry a message to show.
  document.body.addEventListener('htmx:beforeSwap', function (evt) {
    const status = evt.detail.xhr.status;
    if ([400, 401, 403, 409].includes(status) && evt.detail.serverResponse) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  // Livret 1: add an experience row to the formset.
  function addExperienceRow() {
    const total = document.getElementById('id_experiences-TOTAL_FORMS');
    const template = document.getElementById('experience-empty');
    const rows = document.getElementById('experience-rows');
    if (!total || !template || !rows) return false;
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, index).replace(/__num__/g, index + 1);
    rows.insertAdjacentHTML('beforeend', html);
    total.value = index + 1;
    htmx.process(rows);
    return true;
  }
  const add = document.getElementById('add-experience');
  if (add) add.addEventListener('click', addExperienceRow);

  // A draft restored by autosave.js may hold more experience rows than the page: add them first.
  document.addEventListener('cqp:need-rows', function (evt) {
    if (evt.detail.prefix !== 'experiences') return;
    const total = document.getElementById('id_experiences-TOTAL_FORMS');
    while (total && parseInt(total.value, 10) < evt.detail.total) {
      if (!addExperienceRow()) break;
    }
  });

  document.body.addEventListener('change', function (evt) {
    if (evt.target.classList.contains('experience-delete')) {
      evt.target.closest('.experience-row').classList.toggle('opacity-50', evt.target.checked);
    }
  });
})();
