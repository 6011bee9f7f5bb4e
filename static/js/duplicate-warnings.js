// Duplicate warnings: while the editor types a claim's text (or an actor's
// name), ask the admin which similar records exist (GET <similar>?text=...,
// 300 ms after the last key) and list them under the field, with their status
// and a link. Saving a near-duplicate is refused by the form anyway; this is
// the early word. Built with textContent only: nothing typed becomes markup.
"use strict";
function duplicateWarnings() {
  document.querySelectorAll("[data-similar-url]").forEach(watchField);
}

function watchField(field) {
  const endpoint = field.dataset.similarUrl;
  const minLength = parseInt(field.dataset.similarMin || "4", 10);
  const box = document.createElement("div");
  box.className = "similar-records";
  box.id = field.id + "-similar";
  box.setAttribute("role", "status");
  box.setAttribute("aria-live", "polite");
  box.hidden = true;
  const anchor = field.closest(".flex-container") || field;
  anchor.insertAdjacentElement("afterend", box);

  let timer = null;
  let asked = "";
  let pending = null;

  function clear() {
    box.replaceChildren();
    box.hidden = true;
  }

  function describe(item) {
    if ("status_label" in item) {
      return item.status_label + " · " + (item.published ? "published" : "draft");
    }
    return item.kind + (item.matched && item.matched !== item.name ? " · as “" + item.matched + "”" : "");
  }

  function show(answer) {
    const similar = answer.similar || [];
    box.replaceChildren();
    if (!similar.length) {
      box.hidden = true;
      return;
    }
    const heading = document.createElement("p");
    heading.className = "similar-records-heading";
    heading.textContent = answer.heading + ":";
    const list = document.createElement("ul");
    similar.forEach(function (item) {
      const row = document.createElement("li");
      const link = document.createElement("a");
      link.href = item.admin_url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = item.text || item.name;
      row.append(link, " (" + describe(item) + ")");
      if (item.public_url) {
        const page = document.createElement("a");
        page.href = item.public_url;
        page.target = "_blank";
        page.rel = "noopener";
        page.textContent = "public page";
        row.append(" · ", page);
      }
      list.append(row);
    });
    box.append(heading, list);
    box.hidden = false;
  }

  function ask() {
    const text = field.value.trim().replace(/\s+/g, " ");
    if (text.length < minLength) {
      asked = "";
      clear();
      return;
    }
    if (text === asked) {
      return;
    }
    asked = text;
    if (pending) {
      pending.abort(); // an answer for words typed over since is of no use
    }
    pending = new AbortController();
    const params = new URLSearchParams({ text: text });
    if (field.dataset.similarExclude) {
      params.set("exclude", field.dataset.similarExclude);
    }
    fetch(endpoint + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: pending.signal,
    })
      .then(function (response) {
        return response.ok ? response.json() : { similar: [] };
      })
      .then(show)
      .catch(function () {
        // Aborted, or the network failed: the check on save still runs.
      });
  }

  field.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 300);
  });
}

// Loaded in the page's head (the admin's Media): wait for the form.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", duplicateWarnings);
} else {
  duplicateWarnings();
}
