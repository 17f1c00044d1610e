// Tag suggestions on the article form (journal/admin_suggest.py).
// The page lists suggestions for the saved text without this script. With it,
// each suggestion gets an "Add" button that puts the tag into its field (the
// select2 autocomplete widgets read the underlying <select>), and "Suggest from
// text" asks the server again with the headline, standfirst, body and tags as
// they are in the form now, unsaved edits included.
"use strict";
{
  const FIELDS = ["countries", "frameworks", "summits"];

  function fieldSelect(form, field) {
    return form.querySelector(`select[name="${field}"]`);
  }

  function selectedIds(select) {
    return new Set(Array.from(select ? select.selectedOptions : [], (option) => option.value));
  }

  function notifyChange(select) {
    // select2 listens through jQuery; plain listeners through the DOM.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(select).trigger("change");
    } else {
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function addTag(form, field, id, label) {
    const select = fieldSelect(form, field);
    if (!select) {
      return false;
    }
    let option = Array.from(select.options).find((candidate) => candidate.value === id);
    if (!option) {
      option = new Option(label, id, true, true);
      select.append(option);
    }
    option.selected = true;
    notifyChange(select);
    return true;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function itemNode(field, item) {
    const li = document.createElement("li");
    li.dataset.field = field;
    li.dataset.id = String(item.id);
    li.dataset.label = item.label;
    li.dataset.tagged = item.tagged ? "true" : "false";
    li.append(
      element("span", "tag-suggestion-label", item.label),
      " ",
      element("span", "tag-suggestion-score", item.score.toFixed(1)),
      " ",
      element("span", "tag-suggestion-evidence", item.evidence.slice(0, 3).join("; "))
    );
    li.querySelector(".tag-suggestion-score").title = "Score";
    return li;
  }

  // The same markup journal/admin_suggest.py renders.
  function render(list, payload) {
    list.replaceChildren();
    for (const field of FIELDS) {
      const items = payload[field] || [];
      if (!items.length) {
        continue;
      }
      const section = element("div", "tag-suggestions-kind");
      section.dataset.field = field;
      section.append(element("strong", "", field.charAt(0).toUpperCase() + field.slice(1)));
      const strong = element("ul", "tag-suggestions-items");
      const weak = items.filter((item) => !item.strong);
      items.filter((item) => item.strong).forEach((item) => strong.append(itemNode(field, item)));
      section.append(strong);
      if (weak.length) {
        const details = element("details", "tag-suggestions-weak");
        details.append(element("summary", "", `Mentioned in passing (${weak.length})`));
        const ul = element("ul", "tag-suggestions-items");
        weak.forEach((item) => ul.append(itemNode(field, item)));
        details.append(ul);
        section.append(details);
      }
      list.append(section);
    }
    if (!list.children.length) {
      list.append(element("p", "tag-suggestions-none", "Nothing to suggest yet."));
    }
  }

  // Buttons and "already tagged" marks follow what the fields hold now.
  function refreshStates(panel, form) {
    for (const section of panel.querySelectorAll(".tag-suggestions-kind")) {
      const field = section.dataset.field;
      const select = fieldSelect(form, field);
      const chosen = selectedIds(select);
      let addable = 0;
      for (const li of section.querySelectorAll("li[data-id]")) {
        const tagged = chosen.has(li.dataset.id) || (!select && li.dataset.tagged === "true");
        li.dataset.tagged = tagged ? "true" : "false";
        li.querySelector(".tag-suggestion-tagged")?.remove();
        li.querySelector("button")?.remove();
        const label = li.querySelector(".tag-suggestion-label");
        if (tagged) {
          label.after(" ", element("span", "tag-suggestion-tagged", "already tagged"));
        } else if (select) {
          const button = element("button", "button tag-suggestion-add", "Add");
          button.type = "button";
          button.setAttribute("aria-label", `Add ${li.dataset.label}`);
          label.before(button, " ");
          if (!li.closest("details")) {
            addable += 1;
          }
        }
      }
      let all = section.querySelector(".tag-suggestions-add-all");
      if (addable > 1 && !all) {
        all = element("button", "button tag-suggestions-add-all", "Add all");
        all.type = "button";
        all.setAttribute("aria-label", `Add all suggested ${field}`);
        section.querySelector("strong").after(" ", all);
      } else if (addable <= 1 && all) {
        all.remove();
      }
    }
  }

  function setUp(panel) {
    const form = panel.closest("form");
    const list = panel.querySelector(".tag-suggestions-list");
    // A view-only page has no tag fields to add to and may not ask the server.
    if (!form || !list || !FIELDS.some((field) => fieldSelect(form, field))) {
      return;
    }
    const status = element("span", "tag-suggestions-status");
    status.setAttribute("role", "status");
    const refresh = element("button", "button tag-suggestions-refresh", "Suggest from text");
    refresh.type = "button";
    const toolbar = element("p", "tag-suggestions-toolbar");
    toolbar.append(refresh, " ", status);
    panel.prepend(toolbar);

    panel.addEventListener("click", (event) => {
      const add = event.target.closest(".tag-suggestion-add");
      const all = event.target.closest(".tag-suggestions-add-all");
      if (add) {
        const li = add.closest("li");
        addTag(form, li.dataset.field, li.dataset.id, li.dataset.label);
        status.textContent = `Added ${li.dataset.label}.`;
      } else if (all) {
        const section = all.closest(".tag-suggestions-kind");
        const items = section.querySelectorAll(':scope > ul > li[data-tagged="false"]');
        items.forEach((li) => addTag(form, li.dataset.field, li.dataset.id, li.dataset.label));
        status.textContent = `Added ${items.length} ${section.dataset.field}.`;
      } else {
        return;
      }
      refreshStates(panel, form);
    });

    async function suggest() {
      const data = new FormData();
      const token = form.querySelector('input[name="csrfmiddlewaretoken"]');
      data.append("csrfmiddlewaretoken", token ? token.value : "");
      for (const name of ["title", "standfirst", "body"]) {
        const input = form.querySelector(`[name="${name}"]`);
        data.append(name, input ? input.value : "");
      }
      for (const field of FIELDS) {
        selectedIds(fieldSelect(form, field)).forEach((id) => data.append(field, id));
      }
      refresh.disabled = true;
      status.textContent = "Reading the text…";
      try {
        const response = await fetch(panel.dataset.url, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        render(list, await response.json());
        refreshStates(panel, form);
        status.textContent = "Suggestions updated from the text in the form.";
      } catch (error) {
        status.textContent = "Suggestions could not be loaded. Save the article to see them.";
      } finally {
        refresh.disabled = false;
      }
    }

    refresh.addEventListener("click", suggest);
    for (const field of FIELDS) {
      const select = fieldSelect(form, field);
      if (!select) {
        continue;
      }
      // jQuery sees native change events too; select2 only fires jQuery ones.
      if (window.django && window.django.jQuery) {
        window.django.jQuery(select).on("change", () => refreshStates(panel, form));
      } else {
        select.addEventListener("change", () => refreshStates(panel, form));
      }
    }
    refreshStates(panel, form);
  }

  function init() {
    document.querySelectorAll(".tag-suggestions[data-url]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}
