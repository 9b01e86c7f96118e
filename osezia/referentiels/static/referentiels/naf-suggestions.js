/* Autocomplete of the NAF fields (ARIA 1.2 combobox with a list popup).
   Any <input data-naf-suggestions="/api/…/naf/suggestions"> gets it; without JavaScript it
   stays a plain text field (the server understands codes and trade words alike).
   Keyboard: ↓/↑ move in the list, Entrée chooses, Échap closes, Tab leaves. */
(function () {
  "use strict";

  var DELAY_MS = 200;
  var MIN_CHARS = 2;

  function setup(input, index) {
    var url = input.getAttribute("data-naf-suggestions");
    var listId = (input.id || "naf-" + index) + "-suggestions";
    var group = input.parentNode;
    group.classList.add("osezia-naf");

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "osezia-naf__liste";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Codes NAF proposés");
    list.hidden = true;

    var status = document.createElement("p");
    status.className = "fr-sr-only";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    var chosen = document.createElement("p");
    chosen.className = "fr-hint-text osezia-naf__choix";
    chosen.id = listId + "-choix";
    chosen.setAttribute("aria-live", "polite");

    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    status.insertAdjacentElement("afterend", chosen);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + chosen.id);

    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(position) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === position ? "true" : "false");
      });
      active = position;
      if (position >= 0 && options[position]) {
        input.setAttribute("aria-activedescendant", options[position].id);
        options[position].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(position) {
      var item = items[position];
      if (!item) {
        return;
      }
      input.value = item.code;
      chosen.textContent = "Code choisi : " + item.code + " — " + item.libelle;
      close();
      input.focus();
    }

    function show(found) {
      items = found;
      list.textContent = "";
      found.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "osezia-naf__option";
        var code = document.createElement("strong");
        code.textContent = item.code;
        option.appendChild(code);
        option.appendChild(document.createTextNode(" " + item.libelle));
        if (item.terme) {
          var word = document.createElement("span");
          word.className = "fr-text--xs osezia-naf__terme";
          word.textContent = " (" + item.terme + ")";
          option.appendChild(word);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the field
        });
        option.addEventListener("click", function () {
          choose(i);
        });
        list.appendChild(option);
      });
      active = -1;
      if (found.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent =
          found.length + (found.length > 1 ? " codes proposés" : " code proposé") +
          " : flèches haut et bas pour parcourir, Entrée pour choisir.";
      } else {
        close();
        status.textContent = "Aucun code proposé : essayez un autre mot.";
      }
    }

    function ask() {
      var q = input.value;
      if (q.trim().length < MIN_CHARS) {
        show([]);
        status.textContent = "";
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      var address = url + "?page_size=8&q=" + encodeURIComponent(q);
      fetch(address, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { items: [] };
        })
        .then(function (answer) {
          show(answer.items || []);
        })
        .catch(function () {
          /* aborted or offline: the field stays a plain text field */
        });
    }

    input.addEventListener("input", function () {
      chosen.textContent = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          ask();
          return;
        }
        highlight(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          highlight(active <= 0 ? items.length - 1 : active - 1);
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault(); // choose, do not submit the form
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  function start() {
    document.querySelectorAll("input[data-naf-suggestions]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
