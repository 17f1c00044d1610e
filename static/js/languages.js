// The language switcher remembers the reader's choice (the bare home page
// follows it), and a first visit in another language than the browser's
// offers the page in the reader's language. The site works without this.
(function () {
  "use strict";
  var COOKIE = "journal_language";
  var YEAR = 365 * 24 * 60 * 60;

  function remember(language) {
    document.cookie = COOKIE + "=" + language + "; path=/; max-age=" + YEAR + "; SameSite=Lax";
  }

  function chosenBefore() {
    return document.cookie.split("; ").some(function (cookie) {
      return cookie.indexOf(COOKIE + "=") === 0;
    });
  }

  var links = Array.prototype.slice.call(
    document.querySelectorAll(".language-switcher a[data-language]")
  );
  links.forEach(function (link) {
    link.addEventListener("click", function () {
      remember(link.dataset.language);
    });
  });
  if (chosenBefore() || !links.length) {
    return;
  }

  // The first of the browser's languages the journal has, unless the page is in it.
  var page = document.documentElement.lang;
  var wanted = (navigator.languages || [navigator.language]).map(function (tag) {
    return String(tag).toLowerCase().split("-")[0];
  });
  var offered = null;
  for (var i = 0; i < wanted.length && !offered; i++) {
    if (wanted[i] === page) {
      return;
    }
    offered = links.filter(function (link) { return link.dataset.language === wanted[i]; })[0];
  }
  if (!offered) {
    return;
  }

  var offer = document.createElement("aside");
  offer.className = "language-offer";
  offer.lang = offered.dataset.language;
  offer.setAttribute("aria-label", offered.dataset.offer);
  var link = document.createElement("a");
  link.href = offered.href;
  link.hreflang = offered.dataset.language;
  link.textContent = offered.dataset.offer;
  link.addEventListener("click", function () {
    remember(offered.dataset.language);
  });
  var close = document.createElement("button");
  close.type = "button";
  close.textContent = offered.dataset.dismiss;
  close.addEventListener("click", function () {
    remember(page);
    offer.remove();
  });
  offer.appendChild(link);
  offer.appendChild(close);
  var skipLink = document.querySelector(".skip-link");
  if (skipLink) {
    skipLink.after(offer);
  } else {
    document.body.prepend(offer);
  }
})();
