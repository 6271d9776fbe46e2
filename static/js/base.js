// Behaviour shared by every page. No inline scripts anywhere: a strict CSP holds.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    target.form.submit();
  }
});

// Confirmation before irreversible actions: <form data-confirm="…">.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// A link to an action's form (the 工作台's rows: /cases/12/#action-approve) opens that collapsed form.
document.addEventListener("DOMContentLoaded", () => {
  const id = window.location.hash.slice(1);
  const target = id && document.getElementById(id);
  if (target && target.classList.contains("collapse") && window.bootstrap) {
    window.bootstrap.Collapse.getOrCreateInstance(target, { toggle: false }).show();
    target.scrollIntoView({ block: "center" });
  }
});
