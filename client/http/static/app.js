// Banli pages: small enhancements only. Every page works without this file.
/* global document, HTMLFormElement, setTimeout */
'use strict';

document.addEventListener('DOMContentLoaded', function () {
  // An error summary takes focus, so a screen reader announces it and keyboard users start there.
  var summary = document.querySelector('[data-autofocus]');
  if (summary) summary.focus();

  // A second click on a submit button while the first is on its way is ignored. (The server
  // would answer a resent form with the first result anyway, through the form's own key.)
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.getAttribute('data-submitted') === 'true') {
      event.preventDefault();
      return;
    }
    form.setAttribute('data-submitted', 'true');
    // Re-enabled after a while: a form shown again (back button) must still be usable.
    setTimeout(function () {
      form.removeAttribute('data-submitted');
    }, 5000);
  });
});
