// Search suggestions as an ARIA combobox (WAI-ARIA 1.2 list autocomplete): type in any search
// box to see entry titles and glossary terms; arrow keys move, Enter opens, Escape closes.
// Without this script the search boxes are plain forms and work the same.
(function () {
  var boxes = document.querySelectorAll('input[type="search"][name="q"]');
  boxes.forEach(function (input, n) {
    var id = "suggest-" + n;
    var list = document.createElement("ul");
    list.id = id;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.setAttribute("autocomplete", "off");

    var items = [], active = -1, timer = null, last = "", leaving = false;
    function go(href) { leaving = true; location.href = href; }
    // Choosing a suggestion with Enter must not also submit the form.
    if (input.form) input.form.addEventListener("submit", function (ev) { if (leaving) ev.preventDefault(); });
    function close() {
      list.hidden = true;
      list.innerHTML = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function mark(i) {
      items.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", items[i].id);
        items[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function show(data) {
      // A later answer must not take away the option the user has moved to.
      var keep = active >= 0 ? items[active].dataset.href : null;
      list.innerHTML = "";
      items = [];
      active = -1;
      (data.suggestions || []).forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.href = s.href;
        var label = document.createElement("span");
        label.textContent = s.label;
        var kind = document.createElement("span");
        kind.className = "suggestion-kind";
        kind.textContent = s.kind_label;
        li.appendChild(label);
        li.appendChild(kind);
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); go(s.href); });
        list.appendChild(li);
        items.push(li);
      });
      items.forEach(function (li, i) { if (li.dataset.href === keep) mark(i); });
      var open = items.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      status.textContent = open ? items.length + " suggestions. Use the arrow keys to choose." : "";
    }
    input.addEventListener("input", function () {
      var q = input.value.trim();
      clearTimeout(timer);
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        if (q === last) return;
        last = q;
        fetch("/api/suggest?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (data) { if (input.value.trim() === q) show(data); })
          .catch(close);
      }, 120);
    });
    input.addEventListener("keydown", function (ev) {
      if (list.hidden) return;
      if (ev.key === "ArrowDown") { ev.preventDefault(); mark((active + 1) % items.length); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); mark(active <= 0 ? items.length - 1 : active - 1); }
      else if (ev.key === "Escape") { close(); }
      else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); go(items[active].dataset.href); }
    });
    // Leaving the box closes the list, unless focus comes straight back.
    var closing = null;
    input.addEventListener("blur", function () { closing = setTimeout(close, 150); });
    input.addEventListener("focus", function () { clearTimeout(closing); });
  });
})();
