"""The image library: pictures for article bodies, and the picker the body editor opens.

The body editor's "Browse..." button (see richtext.py) opens the picker in a
popup as `picker/?CKEditorFuncNum=N`. Choosing or uploading an image there
hands its address, description and caption back to the editor's dialog
through `window.opener.CKEDITOR.tools.callFunction(N, ...)`, the protocol
django-prose-editor speaks (static/journal/admin/image-picker.js).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.encoding import filepath_to_uri
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from journal.images.uploads import CheckedImageField
from journal.models import Article, LibraryImage
from summits.admin_guards import GuardedAdminMixin

PICKER_PAGE_SIZE = 24
# django-prose-editor counts its dialogs down from -1; CKEditor counted up from 1.
CALLBACK_LIMIT = 10**9


class LibraryImageForm(forms.ModelForm):
    required_css_class = "required"  # the picker's labels, styled like the admin's

    class Meta:
        model = LibraryImage
        fields = ["image", "alt_text", "caption", "credit"]
        field_classes = {"image": CheckedImageField}
        error_messages = {
            "alt_text": {"required": "Describe the image for readers who cannot see it."},
            "image": {"required": "Choose an image to upload."},
        }


class PickerQueryForm(forms.Form):
    """What the picker's address carries: the editor's callback number and a search."""

    CKEditorFuncNum = forms.IntegerField(min_value=-CALLBACK_LIMIT, max_value=CALLBACK_LIMIT)
    q = forms.CharField(required=False, max_length=200, label="Search")
    uploaded = forms.IntegerField(required=False, min_value=1)


def articles_using(image: LibraryImage):
    """Articles whose stored body refers to this image's address, in any state.

    Bodies keep the address itself (the editor copies it in), so this is a
    substring search over article bodies: fine for one image, not for a list.
    With uploads in a bucket, bodies written before the move keep the site's
    own /media/ address, which still shows the image (it redirects).
    """
    addresses = {image.image.url, f"{settings.MEDIA_PATH}{filepath_to_uri(image.image.name)}"}
    uses = Q()
    for address in sorted(addresses):
        uses |= Q(body__contains=address)
    return Article.objects.filter(uses).order_by("-updated_at")


def offered_caption(image: LibraryImage) -> str:
    """The caption the editor's dialog is filled with; the credit goes with it."""
    if image.caption and image.credit:
        return f"{image.caption} ({image.credit})"
    return image.caption or image.credit


@admin.register(LibraryImage)
class LibraryImageAdmin(GuardedAdminMixin, admin.ModelAdmin):
    form = LibraryImageForm
    list_display = [
        "thumbnail",
        "alt_text",
        "caption",
        "credit",
        "size",
        "uploaded_by",
        "created_at",
    ]
    list_display_links = ["thumbnail", "alt_text"]
    list_select_related = ["uploaded_by"]
    list_per_page = 50
    search_fields = ["alt_text", "caption", "credit"]
    search_help_text = "Search descriptions, captions and credits."
    date_hierarchy = "created_at"
    readonly_fields = ["preview", "address", "usage", "size", "uploaded_by", "created_at"]
    fieldsets = [
        (None, {"fields": ["image", "preview", "alt_text", "caption", "credit"]}),
        (
            "Where it is used",
            {
                "fields": ["address", "usage"],
                "description": "Articles copy the description and caption when the image is "
                "inserted; changing them here does not change those articles.",
            },
        ),
        ("Upload", {"fields": ["size", "uploaded_by", "created_at"]}),
    ]

    class Media:
        css = {"all": ["journal/admin/image-picker.css"]}

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            # Before the admin's own patterns, whose "<object_id>/" catches everything.
            path(
                "picker/",
                self.admin_site.admin_view(self.picker_view),
                name="{}_{}_picker".format(*info),
            ),
            *super().get_urls(),
        ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets[:1]
        return self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # Articles refer to the file by its address: a new file would be a new
        # address that no article uses. Upload a new image instead.
        return ["image", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    # Deleting

    def get_deleted_objects(self, objs, request):
        """Refuse to delete an image that readers see, naming the articles that show it."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for image in objs:
            for article in articles_using(image).filter(status=Article.Status.PUBLISHED):
                protected.append(
                    format_html(
                        "“{}” is shown in <a href='{}'>{}</a> ({})",
                        image,
                        self._article_url(article),
                        article,
                        self._state(article),
                    )
                )
        return deleted, model_count, perms_needed, protected

    def render_delete_form(self, request, context):
        image = context.get("object")
        if image is not None:
            context["unpublished_uses"] = [
                (article, self._article_url(article), self._state(article))
                for article in articles_using(image).exclude(status=Article.Status.PUBLISHED)
            ]
        return super().render_delete_form(request, context)

    # Read-only fields and columns

    @admin.display(description="Image")
    def thumbnail(self, obj):
        # A link to the image's page, which the description names.
        return format_html(
            '<img src="{}" alt="{}" class="library-thumb" loading="lazy">',
            obj.image.url,
            obj.alt_text,
        )

    @admin.display(description="Current image")
    def preview(self, obj):
        if not obj.image:
            return "—"
        return format_html('<img src="{}" alt="" class="library-preview">', obj.image.url)

    @admin.display(description="Pixels")
    def size(self, obj):
        if not obj.width:
            return "—"
        return f"{obj.width} × {obj.height}"

    @admin.display(description="Address")
    def address(self, obj):
        return obj.image.url if obj.image else "—"

    @admin.display(description="Shown in")
    def usage(self, obj):
        articles = list(articles_using(obj)[:100]) if obj.pk else []
        if not articles:
            return "No article shows this image."
        return format_html(
            "<ul class='library-usage'>{}</ul>",
            format_html_join(
                "",
                "<li><a href='{}'>{}</a> ({})</li>",
                (
                    (self._article_url(article), article, self._state(article))
                    for article in articles
                ),
            ),
        )

    def _article_url(self, article) -> str:
        return reverse(
            "admin:journal_article_change", args=[article.pk], current_app=self.admin_site.name
        )

    @staticmethod
    def _state(article) -> str:
        if article.is_scheduled:
            local = timezone.localtime(article.publish_at)
            return f"scheduled for {date_format(local, 'DATETIME_FORMAT')}"
        return article.get_status_display().lower()

    # The picker

    def has_picker_permission(self, request) -> bool:
        return self.has_view_permission(request) or self.has_add_permission(request)

    def picker_view(self, request):
        """Recent library images to choose from, and an upload form, for the body editor."""
        if not self.has_picker_permission(request):
            raise PermissionDenied
        query = PickerQueryForm(request.GET)
        context = {
            **self.admin_site.each_context(request),
            "title": "Choose an image",
            "subtitle": None,
            "opts": self.opts,
            "is_popup": True,
            "query": query,
            "callback": None,
        }
        request.current_app = self.admin_site.name
        template = "admin/journal/libraryimage/picker.html"
        if not query.is_valid():
            # Only the editor's dialog knows the number; without it a choice goes nowhere.
            return TemplateResponse(request, template, context, status=400)

        callback = query.cleaned_data["CKEditorFuncNum"]
        upload_form = None
        if self.has_add_permission(request):
            upload_form = LibraryImageForm(
                request.POST if request.method == "POST" else None,
                request.FILES if request.method == "POST" else None,
            )
        if request.method == "POST":
            if upload_form is None:
                raise PermissionDenied
            if upload_form.is_valid():
                image = upload_form.save(commit=False)
                image.uploaded_by = request.user
                image.save()
                self.log_addition(
                    request, image, self.construct_change_message(request, upload_form, None, True)
                )
                self.message_user(request, f"Uploaded “{image}”.", messages.SUCCESS)
                return HttpResponseRedirect(
                    "{}?{}".format(
                        request.path, urlencode({"CKEditorFuncNum": callback, "uploaded": image.pk})
                    )
                )

        images = self.model.objects.all()
        if query.cleaned_data["q"]:
            images, _ = self.get_search_results(request, images, query.cleaned_data["q"])
        page = Paginator(images, PICKER_PAGE_SIZE).get_page(request.GET.get("page"))
        uploaded = None
        if query.cleaned_data["uploaded"]:
            uploaded = self.model.objects.filter(pk=query.cleaned_data["uploaded"]).first()
        context.update(
            callback=callback,
            page_obj=page,
            choices=[(image, offered_caption(image)) for image in page],
            uploaded=uploaded and (uploaded, offered_caption(uploaded)),
            upload_form=upload_form,
        )
        return TemplateResponse(request, template, context)
