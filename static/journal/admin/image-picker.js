// The image picker, in the popup the body editor's "Browse..." button opens.
// "Use this image" hands the image to the editor's dialog the way
// django-prose-editor expects (the CKEditor file-browser protocol), then
// closes the popup. The dialog fills in the address, description and caption.
"use strict";
{
  const picker = document.getElementById("image-picker");
  const status = document.getElementById("image-picker-status");
  const raw = picker ? picker.dataset.callback : "";
  const callback = /^-?\d{1,10}$/.test(raw || "") ? Number(raw) : null;

  function editorTools() {
    try {
      const tools = window.opener && window.opener.CKEDITOR && window.opener.CKEDITOR.tools;
      return tools && typeof tools.callFunction === "function" ? tools : null;
    } catch (error) {
      // An opener on another origin: nothing to hand the image to.
      return null;
    }
  }

  function use(button) {
    const tools = editorTools();
    if (callback === null || !Number.isSafeInteger(callback) || !tools) {
      status.hidden = false;
      status.focus();
      return;
    }
    tools.callFunction(callback, button.dataset.url, {
      alternative_text: button.dataset.alt || "",
      caption: button.dataset.caption || "",
      id: button.dataset.id,
    });
    window.close();
  }

  if (picker) {
    status.tabIndex = -1;
    picker.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-url]");
      if (button) {
        use(button);
      }
    });
    // Just uploaded from this popup: the editor wanted this one.
    const uploaded = picker.querySelector("button[data-use-now]");
    if (uploaded) {
      use(uploaded);
    }
  }
}
