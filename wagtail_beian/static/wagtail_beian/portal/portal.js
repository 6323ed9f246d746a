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
