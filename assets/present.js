// Presentation clickers send arrow keys, Page Up/Down or space: turn them into the on-screen
// Previous/Next buttons, only on presentation pages and never while typing in a field.
document.addEventListener("keydown", function (event) {
    const page = document.getElementById("atlas-page");
    if (!page || !page.classList.contains("present")) { return; }
    const tag = (event.target && event.target.tagName) || "";
    if (["INPUT", "TEXTAREA", "SELECT"].includes(tag)) { return; }
    let id = null;
    if (["ArrowRight", "ArrowDown", "PageDown", " ", "Spacebar"].includes(event.key)) { id = "present-next"; }
    if (["ArrowLeft", "ArrowUp", "PageUp"].includes(event.key)) { id = "present-prev"; }
    if (!id) { return; }
    event.preventDefault();
    const button = document.getElementById(id);
    if (button) { button.click(); }
});
