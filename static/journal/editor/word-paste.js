// Tidies HTML pasted from Word (and similar) before the editor parses it.
//
// The editor's schema already drops styles, classes and unknown tags; this
// keeps the structure it would otherwise lose: Word writes bulleted and
// numbered lists as paragraphs with a typed bullet, uses h1 for its top
// heading (ours is the headline), and pastes images from the writer's disk.
import { Extension, Plugin } from "django-prose-editor/editor"

const LIST_STYLE = /mso-list:\s*l(\d+)\s+level(\d+)/i
const LIST_MARKER = /mso-list:\s*Ignore/i
const ORDERED_MARKER = /^\(?([0-9]+|[a-z]{1,4})[.)]/i

const listInfo = (element) => {
  if (element.tagName !== "P") return null
  const match = LIST_STYLE.exec(element.getAttribute("style") || "")
  if (!match) return null
  const marker = [...element.querySelectorAll("span")].find((span) =>
    LIST_MARKER.test(span.getAttribute("style") || ""),
  )
  const text = (marker?.textContent || "").replace(/\s|\u00a0/g, "")
  marker?.remove()
  return {
    list: match[1],
    level: Number(match[2]),
    tag: ORDERED_MARKER.test(text) ? "ol" : "ul",
  }
}

// Consecutive list paragraphs become one list, nested by their level.
const rebuildWordLists = (doc) => {
  for (const paragraph of doc.body.querySelectorAll("p[style*='mso-list']")) {
    if (!paragraph.isConnected) continue
    const stack = []
    let current = paragraph
    const anchor = doc.createComment("list")
    paragraph.before(anchor)
    while (current) {
      const info = listInfo(current)
      if (!info) break
      const next = current.nextElementSibling
      while (stack.length > info.level) stack.pop()
      while (stack.length < info.level) {
        const list = doc.createElement(info.tag)
        const parentItem = stack.at(-1)?.lastElementChild
        if (parentItem) {
          parentItem.append(list)
        } else if (stack.length) {
          // A list that starts deeper than level 1: give it an item to live in.
          const holder = doc.createElement("li")
          stack.at(-1).append(holder)
          holder.append(list)
        } else {
          anchor.before(list)
        }
        stack.push(list)
      }
      const item = doc.createElement("li")
      item.append(...current.childNodes)
      stack.at(-1).append(item)
      current.remove()
      current = next
    }
    anchor.remove()
  }
}

// The address of one of our uploads (what the sanitiser accepts), or null:
// a path on this site, or a full address when uploads live elsewhere (a
// bucket or a CDN, mediaUrl then being absolute).
const ownUploadPath = (src, mediaUrl) => {
  try {
    const url = new URL(src, window.location.href)
    const media = new URL(mediaUrl, window.location.href)
    const ours = url.origin === media.origin && url.pathname.startsWith(media.pathname)
    if (!ours) return null
    return url.origin === window.location.origin ? url.pathname : url.origin + url.pathname
  } catch {
    return null
  }
}

const tidy = (html, mediaUrl) => {
  const doc = new DOMParser().parseFromString(html, "text/html")
  rebuildWordLists(doc)
  for (const heading of doc.body.querySelectorAll("h1, h5, h6")) {
    const replacement = doc.createElement(heading.tagName === "H1" ? "h2" : "h4")
    replacement.append(...heading.childNodes)
    heading.replaceWith(replacement)
  }
  // Only our own uploads are published, by path; anything else would be
  // saved as an <img> without a source. Editors add images with the figure
  // button instead.
  for (const image of doc.body.querySelectorAll("img")) {
    const path = ownUploadPath(image.getAttribute("src") || "", mediaUrl)
    if (path) image.setAttribute("src", path)
    else image.remove()
  }
  // Word's blank lines: paragraphs holding nothing but spaces.
  for (const paragraph of doc.body.querySelectorAll("p")) {
    if (!paragraph.textContent.replace(/\s|\u00a0/g, "") && !paragraph.querySelector("img")) {
      paragraph.remove()
    }
  }
  return doc.body.innerHTML
}

export const WordPaste = Extension.create({
  name: "wordPaste",

  addOptions() {
    return { mediaUrl: "/media/" }
  },

  addProseMirrorPlugins() {
    const { mediaUrl } = this.options
    return [
      new Plugin({
        props: {
          transformPastedHTML: (html) => tidy(html, mediaUrl),
        },
      }),
    ]
  },
})
