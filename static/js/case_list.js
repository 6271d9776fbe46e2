// 问题台账 and the 部专班 queue: select rows for a bulk action. Delegated, so it keeps working after
// htmx swaps the table.
(function () {
  "use strict";

  function boxes(form) {
    return Array.from(document.querySelectorAll("input[name=ids]")).filter((box) => box.form === form);
  }

  function refresh() {
    const form = document.querySelector("[data-bulk-form]");
    if (!form) {
      return;
    }
    const checked = boxes(form).filter((box) => box.checked).length;
    document.querySelectorAll("[data-bulk-count]").forEach((badge) => { badge.textContent = String(checked); });
    document.querySelectorAll("[data-bulk-submit]").forEach((button) => { button.disabled = checked === 0; });
  }

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLInputElement)) {
      return;
    }
    if (target.hasAttribute("data-select-all")) {
      const form = document.querySelector("[data-bulk-form]");
      if (form) {
        boxes(form).forEach((box) => { box.checked = target.checked; });
      }
    }
    if (target.name === "ids" || target.hasAttribute("data-select-all")) {
      refresh();
    }
  });
  document.addEventListener("htmx:afterSwap", refresh);
  refresh();
})();
