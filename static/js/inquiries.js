/* HS 2022 type-ahead on the public enquiry form (progressive enhancement: without JavaScript the
   field takes codes separated by commas). Suggestions come from /inquiries/hs-codes/?q=. */
(function () {
  "use strict";
  var picker = document.querySelector(".hs-picker");
  if (!picker) { return; }
  var input = picker.querySelector("input[name=hs_codes]");
  var list = picker.querySelector(".hs-suggestions");
  var url = picker.getAttribute("data-hs-url");
  var timer = null;
  var active = -1;
  if (!input || !list || !url) { return; }
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  list.id = list.id || "hs-suggestions";
  input.setAttribute("aria-controls", list.id);

  function parts() { return input.value.split(/[,;]+/); }
  function currentTerm() { var p = parts(); return p[p.length - 1].trim(); }
  function close() { list.hidden = true; list.innerHTML = ""; active = -1; input.setAttribute("aria-expanded", "false"); }
  function choose(code) {
    var p = parts(); p[p.length - 1] = " " + code;
    input.value = p.map(function (s) { return s.trim(); }).filter(Boolean).join(", ") + ", ";
    close(); input.focus();
  }
  function render(results) {
    list.innerHTML = "";
    if (!results.length) {
      var empty = document.createElement("li");
      empty.textContent = picker.getAttribute("data-no-match") || "";
      empty.setAttribute("aria-disabled", "true");
      list.appendChild(empty);
    }
    results.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = "hs-opt-" + i;
      li.setAttribute("role", "option");
      li.dataset.code = item.code;
      li.textContent = item.code + " — " + item.description;
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(item.code); });
      list.appendChild(li);
    });
    list.hidden = false; input.setAttribute("aria-expanded", "true");
  }
  function move(delta) {
    var items = list.querySelectorAll("li[role=option]");
    if (!items.length) { return; }
    if (active >= 0) { items[active].setAttribute("aria-selected", "false"); }
    active = (active + delta + items.length) % items.length;
    items[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", items[active].id);
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var term = currentTerm();
    if (term.length < 2) { close(); return; }
    timer = setTimeout(function () {
      fetch(url + "?q=" + encodeURIComponent(term), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { render(data.results || []); })
        .catch(close);
    }, 200);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden) { return; }
    if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Enter" && active >= 0) {
      e.preventDefault(); choose(list.querySelectorAll("li[role=option]")[active].dataset.code);
    } else if (e.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
