// The admin names the journal's time zone once, in its header. Django's
// calendar and clock would add a warning under every date and time input
// when the browser's zone differs (even under a date-only field); the header
// says it once instead. The "Today" and "Now" shortcuts keep the journal's time.
"use strict";
{
  if (window.DateTimeShortcuts) {
    window.DateTimeShortcuts.addTimezoneWarning = () => {};
  }
  // Django's date and time inputs name that warning as their description.
  const described = document.querySelectorAll("[aria-describedby*='_timezone_warning_helptext']");
  for (const input of described) {
    const kept = input
      .getAttribute("aria-describedby")
      .split(/\s+/)
      .filter((id) => !id.endsWith("_timezone_warning_helptext"));
    if (kept.length) input.setAttribute("aria-describedby", kept.join(" "));
    else input.removeAttribute("aria-describedby");
  }
  const serverOffset = Number(document.body.dataset.adminUtcOffset);
  const note = document.querySelector(".desk-time-zone__yours");
  const localOffset = new Date().getTimezoneOffset() * -60;
  if (note && Number.isFinite(serverOffset) && serverOffset !== localOffset) {
    note.hidden = false;
  }
}
