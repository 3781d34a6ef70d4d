/* The main menu on narrow screens: folded behind a "Menu" button (progressive enhancement: without
   JavaScript, or on wider screens, the whole menu is shown as before). */
(function () {
  "use strict";
  var nav = document.querySelector(".main-nav");
  var list = nav && nav.querySelector("ul");
  if (!list) { return; }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "nav-toggle";
  button.textContent = nav.getAttribute("data-menu-label") || "Menu";
  button.setAttribute("aria-expanded", "false");
  list.id = list.id || "main-menu";
  button.setAttribute("aria-controls", list.id);
  list.parentNode.insertBefore(button, list);
  nav.classList.add("collapsible");
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
