// The live pages' browser script, served as a static asset (CSP `script-src 'self'`: no inline
// code, no eval, no inline handlers). It finds lists marked `data-live="/live"` or
// `data-live="/post/ID/live"`, follows that stream, and offers "N new posts — show" above the list
// instead of inserting items under the reader's eyes; "show" reloads the page. Without
// EventSource (or without JavaScript) nothing happens and the page stays as it is.

export const LIVE_SCRIPT = `(function () {
  "use strict";
  if (typeof window.EventSource !== "function" || !document.querySelectorAll) return;
  var PATH = /^\\/(?:live|post\\/[A-Za-z0-9-]{1,64}\\/live)$/;
  var lists = document.querySelectorAll("[data-live]");
  for (var i = 0; i < lists.length; i++) follow(lists[i]);

  function follow(list) {
    var path = list.getAttribute("data-live") || "";
    if (!PATH.test(path)) return;
    var kind = path === "/live" ? "post" : "comment";
    var count = 0;
    var notice = document.createElement("div");
    notice.className = "live-notice";
    notice.setAttribute("role", "status");
    notice.setAttribute("aria-live", "polite");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "live-notice-button";
    button.hidden = true;
    button.addEventListener("click", function () {
      source.close();
      window.location.reload();
    });
    notice.appendChild(button);
    list.parentNode.insertBefore(notice, list);
    var source = new EventSource(path);
    source.addEventListener(kind, function () {
      count += 1;
      var noun = kind === "post" ? (count === 1 ? "post" : "posts") : count === 1 ? "comment" : "comments";
      button.textContent = count + " new " + noun + " \\u2014 show";
      button.hidden = false;
    });
    window.addEventListener("pagehide", function () {
      source.close();
    });
  }
})();
`;
