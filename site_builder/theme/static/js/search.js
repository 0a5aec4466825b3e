/* The search box: Pagefind's UI over the index built with the site (/pagefind/). The box
   stays hidden without JavaScript or without the index. Results are addresses from the
   site's root, so the site's own folder (the one this bundle sits in) is put in front. */
(function () {
  "use strict";
  var box = document.getElementById("site-search");
  var script = document.querySelector("script[src*='pagefind/pagefind-ui.js']");
  if (!box || !script || !window.PagefindUI) { return; }
  var base = new URL("..", script.src).pathname;
  box.hidden = false;
  new window.PagefindUI({
    element: "#site-search",
    baseUrl: base,
    showSubResults: false,
    showImages: false,
    resetStyles: false,
    translations: { placeholder: box.getAttribute("data-placeholder") }
  });
  /* Pagefind's input has only a placeholder: give it a name screen readers announce. */
  function name() {
    var input = box.querySelector("input");
    if (input) { input.setAttribute("aria-label", box.getAttribute("data-placeholder")); return true; }
    return false;
  }
  if (!name()) {
    var watcher = new MutationObserver(function () { if (name()) { watcher.disconnect(); } });
    watcher.observe(box, { childList: true, subtree: true });
  }
})();
