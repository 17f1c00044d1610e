// Names the body editor after its form field. The page labels the textarea
// the editor hides; screen readers land on the editable area instead, which
// otherwise has no name. It takes the field's label and help text.
import { Extension, Plugin } from "django-prose-editor/editor"

const fieldAttributes = (element) => {
  const textarea = element?.closest(".prose-editor")?.querySelector("textarea")
  if (!textarea) return {}
  const attributes = { "aria-multiline": "true" }
  const label = textarea.id
    ? document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`)
    : null
  if (label) {
    label.id ||= `${textarea.id}_label`
    attributes["aria-labelledby"] = label.id
  }
  const help = textarea.getAttribute("aria-describedby")
  if (help) attributes["aria-describedby"] = help
  return attributes
}

export const FieldLabel = Extension.create({
  name: "fieldLabel",

  addProseMirrorPlugins() {
    const { editor } = this
    let attributes = null
    return [
      new Plugin({
        props: {
          attributes: () => {
            attributes ||= fieldAttributes(editor.options.element)
            return attributes
          },
        },
      }),
    ]
  },
})
