/* CB-3: the English offer as a modal dialog. Without this script the offer is an inline choice
   inside the form (its "Switch to English" button submits the request in English). With it, the
   offer opens as a native modal <dialog>: focus moves into it and stays there (Tab and Shift+Tab
   wrap), Escape closes it and keeps the chosen language, and focus returns to the language. */
(function () {
  "use strict";
  var kept = {};

  function focusable(dialog) {
    var selector = "button, [href], input, select, textarea, [tabindex]:not([tabindex='-1'])";
    return Array.prototype.filter.call(dialog.querySelectorAll(selector), function (element) {
      return !element.disabled && !element.hidden;
    });
  }

  function languageSelect() {
    return document.getElementById("id_language");
  }

  function enhance(dialog) {
    if (dialog.hasAttribute("data-enhanced") || typeof dialog.showModal !== "function") {
      return;
    }
    dialog.setAttribute("data-enhanced", "");
    var language = dialog.getAttribute("data-language");
    var keep = dialog.querySelector("[data-offer-keep]");
    var english = dialog.querySelector("[data-offer-english]");
    keep.hidden = false;

    dialog.addEventListener("keydown", function (event) {
      if (event.key !== "Tab") {
        return;
      }
      var items = focusable(dialog);
      if (!items.length) {
        return;
      }
      var first = items[0];
      var last = items[items.length - 1];
      if (event.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (document.activeElement === last || !dialog.contains(document.activeElement))) {
        event.preventDefault();
        first.focus();
      }
    });
    dialog.addEventListener("cancel", function () {
      kept[language] = true; // Escape: keep the chosen language
    });
    dialog.addEventListener("close", function () {
      var select = languageSelect();
      if (select) {
        select.focus();
      }
    });
    keep.addEventListener("click", function () {
      kept[language] = true;
      dialog.close();
    });
    english.addEventListener("click", function (event) {
      event.preventDefault();
      dialog.close();
      var select = languageSelect();
      if (select) {
        select.value = "en";
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });

    if (!kept[language]) {
      dialog.showModal();
      var items = focusable(dialog);
      if (items.length) {
        items[0].focus();
      }
    }
  }

  function scan(root) {
    var dialogs = (root || document).querySelectorAll("dialog.offer");
    Array.prototype.forEach.call(dialogs, enhance);
  }

  document.addEventListener("DOMContentLoaded", function () {
    scan(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    scan(event.target);
  });
})();
