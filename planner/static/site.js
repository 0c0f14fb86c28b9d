/* Reeks, on every page: the phone menu, and feedback moved into view.
   Without this script every page still works: the menu shows in full and nothing is moved. */
(function () {
  "use strict";

  function foldMenu() {
    var header = document.querySelector(".site-header");
    var toggle = header && header.querySelector(".menu-toggle");
    var menu = document.getElementById("site-menu");
    // Only a staff member's menu folds; the language switch alone fits a phone's line.
    if (!toggle || !menu || !menu.querySelector("nav")) return;
    header.classList.add("has-menu");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = header.classList.toggle("menu-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("menu-open")) {
        header.classList.remove("menu-open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }

  /* What the last action said: a form's errors first, then a region a page marks with
     data-focus (say, proposed dates), then the flash messages. */
  function focusFeedback() {
    var target = document.querySelector(".error-summary") ||
      document.querySelector("[data-focus]") ||
      document.querySelector(".flashes");
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
  }

  document.addEventListener("DOMContentLoaded", foldMenu);
  // After the load, when the browser has scrolled to an address's #fragment (which resets the focus).
  window.addEventListener("load", function () { window.setTimeout(focusFeedback, 0); });
})();
