// The portal works without JavaScript; this only adds conveniences.
// "Copy" buttons (data-copy="<id of a textarea>"): shown when the browser can copy.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    button.hidden = false;
    const label = button.textContent;
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(source.value);
      button.textContent = button.dataset.copied || "✓";
      setTimeout(() => { button.textContent = label; }, 2000);
    });
  });
});

// A checkbox with data-hides="<prefix>" hides the fields whose names contain the prefix while
// checked (the website's responsible person taken from the organizer's).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[type=checkbox][data-hides]").forEach((box) => {
    const fields = Array.from(box.form.elements).filter(
      (el) => el !== box && el.name && el.name.includes(box.dataset.hides),
    );
    const update = () => fields.forEach((el) => {
      const wrapper = el.closest(".field");
      if (wrapper) wrapper.hidden = box.checked;
    });
    box.addEventListener("change", update);
    update();
  });
});
