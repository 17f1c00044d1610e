"""The rich-text editor for article bodies in the admin.

django-prose-editor (ProseMirror/Tiptap, BSD-licensed) ships its scripts,
styles and icon font inside the package, so staticfiles and WhiteNoise serve
them like the admin's own: no CDN. It is only a widget; the model field stays
a plain TextField, and `clean_body_html()` in `Article.save()` remains what
decides which HTML is stored.
"""

from django import forms
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django_prose_editor.widgets import AdminProseEditorWidget

from journal.sanitiser import body_marks

# The editor's schema offers exactly the elements `BODY_TAGS` publishes (it
# writes <strong>/<em>, never <b>/<i>). Pasted HTML is parsed through this
# schema, so anything else from a word processor is dropped in the browser;
# the server-side sanitiser still has the last word.
BODY_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Superscript": True,
    "Subscript": True,
    # We drop target="_blank" on save, so the editor does not offer it.
    "Link": {"enableTarget": False},
    "BulletList": True,
    # We drop start/type on save, so the list-properties dialog is hidden.
    "OrderedList": {"enableListAttributes": False},
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    # An image with an optional caption, by URL: only our own /media/ paths
    # survive saving. The dialog's "Browse..." button opens the image library's
    # picker (journal/admin/library.py); its address is added per render.
    "Figure": True,
    "Image": True,
    "Caption": True,
    # On by default in the package; editors want their browser's spellcheck.
    "NoSpellCheck": False,
}


class ArticleBodyWidget(AdminProseEditorWidget):
    """The admin body field as a WYSIWYG editor limited to what we publish."""

    class Media:
        # See templates/admin/journal/article/change_form.html.
        css = {"all": ["journal/editor/prose-base.css"]}

    def __init__(self, attrs=None):
        super().__init__(attrs, config={"extensions": BODY_EXTENSIONS}, preset="configurable")

    def get_config(self):
        config = super().get_config()
        # Our own extensions, loaded by the package's configurable preset. One
        # turns Word's typed bullets back into lists before the schema sees them.
        # static() is called per render so the URL carries the manifest hash.
        config["extensions"]["WordPaste"] = {"mediaUrl": settings.MEDIA_URL}
        # And one that gives the editable area the field's label and help text.
        config["extensions"]["FieldLabel"] = True
        config["js_modules"] = [
            *config["js_modules"],
            static("journal/editor/word-paste.js"),
            static("journal/editor/field-label.js"),
        ]
        # Figure owns the image dialog, so it takes the picker's address (not
        # Image). The picker checks who may use the library; all get the button.
        config["extensions"]["Figure"] = {"pickerUrl": reverse("admin:journal_libraryimage_picker")}
        return config


class ArticleBodyField(forms.CharField):
    """The body as the form posts it, changed only when readers would see a difference.

    A browser posts the text area's line endings as CRLF, and the editor writes its own
    HTML (<strong> for <b>, list items in paragraphs): compared as posted, every save
    would record "Changed Body" while Compare, which reads the stored text, finds none.
    """

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        return body_marks(initial or "") != body_marks(data or "")
