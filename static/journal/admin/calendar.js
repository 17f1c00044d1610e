// Drag and drop on the editorial calendar (journal/admin/calendar.py).
// Without this script each article the reader may reschedule has a form
// with a date and time field. With it, an article can also be dragged to
// another day: the drop fills in the same form with that day, keeping the
// time, and sends it; the server answers as it answers the form. An article
// that cannot move (published already, or the reader is not an editor) says
// why where it is dropped.
"use strict";
{
  const ENTRY_TYPE = "application/x-journal-calendar-entry";

  function setUp(grid) {
    const announcer = document.getElementById("calendar-announcer");
    let dragged = null;
    let target = null;

    function announce(text) {
      if (announcer) {
        announcer.textContent = text;
      }
    }

    function highlight(day) {
      if (target === day) {
        return;
      }
      if (target) {
        target.classList.remove("calendar-day--target");
      }
      target = day;
      if (target) {
        target.classList.add("calendar-day--target");
      }
    }

    for (const entry of grid.querySelectorAll(".calendar-entry--article[data-entry]")) {
      entry.draggable = true;
      // The whole entry is what moves, wherever it is picked up: not its link on its own.
      for (const link of entry.querySelectorAll("a")) {
        link.draggable = false;
      }
    }

    grid.addEventListener("dragstart", (event) => {
      const entry = event.target.closest && event.target.closest("[data-entry]");
      if (!entry) {
        return;
      }
      dragged = entry;
      entry.classList.add("calendar-entry--dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData(ENTRY_TYPE, entry.id);
      event.dataTransfer.setData("text/plain", entry.dataset.title || "");
    });

    grid.addEventListener("dragend", () => {
      if (dragged) {
        dragged.classList.remove("calendar-entry--dragging");
      }
      dragged = null;
      highlight(null);
    });

    grid.addEventListener("dragover", (event) => {
      const day = dragged && event.target.closest("[data-date]");
      if (!day) {
        highlight(null);
        return;
      }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      highlight(day);
    });

    grid.addEventListener("dragleave", (event) => {
      if (target && !target.contains(event.relatedTarget)) {
        highlight(null);
      }
    });

    grid.addEventListener("drop", (event) => {
      const day = dragged && event.target.closest("[data-date]");
      const entry = dragged;
      highlight(null);
      if (!day) {
        return;
      }
      event.preventDefault();
      if (entry.dataset.refusal) {
        announce(entry.dataset.refusal);
        return;
      }
      const form = entry.querySelector("form[data-reschedule]");
      const field = form && form.elements.namedItem("at");
      if (!field) {
        return;
      }
      const [date, time] = field.value.split("T");
      if (date === day.dataset.date) {
        return; // dropped where it was
      }
      field.value = `${day.dataset.date}T${time}`;
      announce(
        (grid.dataset.moving || "")
          .replace("{article}", entry.dataset.title || "")
          .replace("{day}", day.dataset.dayName || day.dataset.date)
      );
      form.requestSubmit();
    });
  }

  function start() {
    for (const grid of document.querySelectorAll("[data-calendar]")) {
      setUp(grid);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}
