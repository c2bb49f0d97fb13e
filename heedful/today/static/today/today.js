// Today: open a play in place and the keys (j/k or arrows, Enter/o, d, s, x, ?, Esc).
// Without this file every line is a plain link to the play page. The Content-Security-Policy
// allows no inline script, so everything lives here, bound to data attributes.
(function () {
  "use strict";

  let current = 0;

  function lines() {
    return Array.from(document.querySelectorAll("#today-body .today-line"));
  }

  function setCurrent(index, focus) {
    const all = lines();
    if (!all.length) return null;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((line, at) => line.classList.toggle("is-current", at === current));
    const line = all[current];
    if (focus) {
      line.querySelector(".today-open").focus();
      line.scrollIntoView({ block: "nearest" });
    }
    return line;
  }

  function close(line) {
    const link = line.querySelector(".today-open");
    const panel = line.querySelector(".today-panel");
    panel.hidden = true;
    panel.innerHTML = "";
    line.classList.remove("is-open");
    link.setAttribute("aria-expanded", "false");
  }

  // Opens the line's play (loading it), then calls `then` with the panel; a line already open
  // is used as it is.
  function open(line, then) {
    const link = line.querySelector(".today-open");
    const panel = line.querySelector(".today-panel");
    if (line.classList.contains("is-open")) {
      if (then) then(panel);
      return;
    }
    lines().forEach((other) => { if (other !== line && other.classList.contains("is-open")) close(other); });
    window.htmx.ajax("GET", link.dataset.panel, { target: panel, swap: "innerHTML" }).then(() => {
      // The promise can settle before htmx has bound the new forms: bind them now (htmx
      // skips what it already bound), so a form submitted at once goes through htmx.
      window.htmx.process(panel);
      panel.hidden = false;
      line.classList.add("is-open");
      link.setAttribute("aria-expanded", "true");
      if (then) then(panel);
    });
  }

  function toggle(line) {
    if (line.classList.contains("is-open")) close(line);
    else open(line);
  }

  function focusField(line, action) {
    open(line, (panel) => {
      const field = panel.querySelector(`form[data-action="${action}"] input[type="text"]`);
      if (field) field.focus();
    });
  }

  function snooze(line) {
    open(line, (panel) => {
      const form = panel.querySelector('form[data-action="snooze"]');
      if (form) form.requestSubmit();
    });
  }

  function toggleHelp(show) {
    const help = document.getElementById("today-help");
    const button = document.querySelector("[data-today-help]");
    if (!help) return;
    help.hidden = show === undefined ? !help.hidden : !show;
    if (button) button.setAttribute("aria-expanded", String(!help.hidden));
  }

  function isTyping(target) {
    return target instanceof HTMLElement
      && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  }

  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest("#today-body .today-open");
    // A click with a modifier (a new tab or window) follows the link to the play page.
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    const line = link.closest(".today-line");
    setCurrent(lines().indexOf(line), false);
    toggle(line);
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {
      if (isTyping(event.target)) event.target.blur();
      toggleHelp(false);
      const line = lines()[current];
      if (line && line.classList.contains("is-open")) { close(line); setCurrent(current, true); }
      return;
    }
    if (isTyping(event.target)) return;
    const line = lines()[current];
    switch (event.key) {
      case "j": case "ArrowDown": setCurrent(current + 1, true); break;
      case "k": case "ArrowUp": setCurrent(current - 1, true); break;
      case "o": if (line) toggle(line); break;
      case "Enter":
        // On a focused line the browser clicks its link (handled above); elsewhere, open.
        if (!(event.target instanceof Element && event.target.closest(".today-open")) && line) toggle(line);
        else return;
        break;
      case "d": if (line) focusField(line, "done"); break;
      case "x": if (line) focusField(line, "dismiss"); break;
      case "s": if (line) snooze(line); break;
      case "?": toggleHelp(); break;
      default: return;
    }
    event.preventDefault();
  });

  // After an action the list comes back without the play: the line now at the same place
  // (the next play) becomes the current one. htmx announces new content with htmx:load.
  document.addEventListener("htmx:load", (event) => {
    const element = event.target;
    if (!(element instanceof Element)) return;
    if (element.id === "today-body") {
      setCurrent(current, true);
    } else if (element.closest(".today-panel")) {
      const invalid = element.closest(".today-panel").querySelector('[aria-invalid="true"]');
      if (invalid) invalid.focus();
    }
  });

  document.querySelectorAll("[data-today-help], .today-keys-hint").forEach((element) => { element.hidden = false; });
  document.querySelectorAll("[data-today-help]").forEach((button) => button.addEventListener("click", () => toggleHelp()));
  setCurrent(0, false);
})();
