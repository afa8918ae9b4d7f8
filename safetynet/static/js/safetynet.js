// Small page behaviours Bootstrap and htmx do not cover. No external requests.
(function () {
  "use strict";
  // An htmx request whose session has expired is redirected to the login page: show that page whole,
  // instead of swapping a login form into part of the page.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf("/accounts/login/") !== -1) {
      event.detail.shouldSwap = false;
      window.location.assign(xhr.responseURL);
    }
  });
})();
