// Show the credit-code and region fields for a domestic enterprise, the country for one abroad.
(function () {
  const form = document.querySelector("[data-location-form]");
  if (!form) return;
  const update = () => {
    const abroad = form.querySelector("input[name=location]:checked")?.value === "abroad";
    form.querySelectorAll("[data-domestic]").forEach((el) => el.classList.toggle("d-none", abroad));
    form.querySelectorAll("[data-abroad]").forEach((el) => el.classList.toggle("d-none", !abroad));
  };
  form.addEventListener("change", update);
  update();
})();
