// "Add source": when the URL changes, ask the admin what the page says
// (GET <prefill>?url=...) and fill the fields the editor left empty, so they
// are seen before saving. The editor's values always win; nothing is sent
// anywhere but our own admin (the server fetches the page, guarded).
"use strict";
function sourcePrefill() {
  const note = document.getElementById("source-prefill");
  const urlField = document.getElementById("id_url");
  if (!note || !urlField || !note.dataset.url) {
    return; // not the add form
  }
  const endpoint = note.dataset.url;
  const fieldNames = { title: "title", published_on: "day of publication", language: "language", publisher: "publisher" };
  let asked = "";

  function field(name) {
    return document.getElementById("id_" + name);
  }

  function isEmpty(input) {
    return input !== null && input.value.trim() === "";
  }

  function fillPublisher(select, publisher) {
    if (!select || select.value !== "" || !publisher || !publisher.id) {
      return false;
    }
    let option = Array.from(select.options).find((o) => o.value === String(publisher.id));
    if (!option) {
      option = new Option(publisher.name, String(publisher.id), true, true);
      select.append(option);
    }
    select.value = String(publisher.id);
    // The admin's autocomplete (select2) listens for "change" to redraw.
    select.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  function fillSelect(select, value) {
    if (!isEmpty(select) || !value) {
      return false;
    }
    if (!Array.from(select.options).some((o) => o.value === value)) {
      return false; // only the form's own choices
    }
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  function fillText(input, value) {
    if (!isEmpty(input) || !value) {
      return false;
    }
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    return true;
  }

  function apply(answer) {
    const values = answer.values || {};
    const filled = [];
    if (fillText(field("title"), values.title)) filled.push("title");
    if (fillText(field("published_on"), values.published_on)) filled.push("published_on");
    if (fillSelect(field("language"), values.language)) filled.push("language");
    if (fillPublisher(field("publisher"), values.publisher)) filled.push("publisher");
    if (filled.length) {
      note.textContent = "Filled in from the page: " + filled.map((n) => fieldNames[n]).join(", ") + ". Check them before saving.";
    } else if (answer.reason) {
      note.textContent = "The page could not be read (" + answer.reason + "): fill in the fields yourself.";
    } else {
      note.textContent = "Nothing more to fill in from the page.";
    }
    note.dataset.state = "done";
  }

  urlField.addEventListener("change", function () {
    const url = urlField.value.trim();
    if (!url || url === asked) {
      return;
    }
    asked = url;
    note.textContent = "Reading the page…";
    note.dataset.state = "reading";
    fetch(endpoint + "?url=" + encodeURIComponent(url), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((response) => response.json())
      .then((answer) => {
        if (urlField.value.trim() === url) {
          apply(answer); // not an answer for a URL typed over since
        }
      })
      .catch(() => {
        note.textContent = "The page could not be read: fill in the fields yourself.";
        note.dataset.state = "done";
      });
  });
}

// Loaded in the page's head (the admin's Media): wait for the form.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", sourcePrefill);
} else {
  sourcePrefill();
}
