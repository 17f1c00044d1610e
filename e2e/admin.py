"""Working the admin as the newsroom does: logging in, autocompletes, uploads, messages."""

import io
import re

from PIL import Image
from playwright.sync_api import Page, expect

PASSWORD = "a-long-e2e-password"


def log_in(page: Page, username: str) -> None:
    """Through the admin's login form, as `username` with PASSWORD."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def png(*, width: int = 1200, height: int = 800, colour=(11, 91, 120), name="picture.png") -> dict:
    """An image file for an upload field (Playwright's set_input_files)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return {"name": name, "mimeType": "image/png", "buffer": buffer.getvalue()}


def autocomplete(page: Page, select_id: str, search: str, choice: str) -> None:
    """Pick `choice` in the admin's autocomplete for <select id=select_id>, typing `search`."""
    # The admin puts select2's widget right after the <select> it stands for.
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    # Typed into the dropdown's own search box once it has the focus: typed at
    # once, the first letters may go to the page while the dropdown opens.
    field = page.locator(".select2-container--open .select2-search__field")
    expect(field).to_be_focused()
    field.press_sequentially(search)
    option = page.locator(
        ".select2-container--open .select2-results__option:not(.loading-results)",
        has_text=re.compile(rf"^{re.escape(choice)}$"),
    )
    option.click()
    expect(page.locator(f"#{select_id} option:checked", has_text=choice)).to_have_count(1)


def saved(page: Page, message: str | re.Pattern) -> None:
    """The admin's success message after a save."""
    expect(page.locator(".messagelist .success").first).to_contain_text(message)
