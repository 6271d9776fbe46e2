// 登记问题, fast while on the phone: ↓ and ↑ move through the enterprise results, Enter picks the
// first one, the category gets the focus once an enterprise is chosen, Ctrl+Enter submits.
(function () {
  "use strict";
  const search = document.getElementById("enterprise-q");
  const results = document.querySelector("[data-enterprise-results]");
  const picked = document.querySelector("[data-enterprise-picked]");
  const form = document.querySelector("[data-case-form]");

  function options() {
    return results ? Array.from(results.querySelectorAll("[data-enterprise-option]")) : [];
  }

  if (search) {
    search.addEventListener("keydown", (event) => {
      const list = options();
      if (event.key === "ArrowDown" && list.length) {
        event.preventDefault();
        list[0].focus();
      } else if (event.key === "Enter" && list.length) {
        event.preventDefault();
        list[0].click();
      }
    });
  }

  if (results) {
    results.addEventListener("keydown", (event) => {
      const list = options();
      const index = list.indexOf(document.activeElement);
      if (index < 0) {
        return;
      }
      if (event.key === "ArrowDown" && index < list.length - 1) {
        event.preventDefault();
        list[index + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (index > 0 ? list[index - 1] : search).focus();
      }
    });
  }

  document.addEventListener("htmx:afterSwap", (event) => {
    if (picked && event.target === picked) {
      if (results) {
        results.replaceChildren();
      }
      const category = document.getElementById("id_category");
      if (category) {
        category.focus();
      }
    }
  });

  if (form) {
    form.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }
})();
