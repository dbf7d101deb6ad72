"""Script-injection payloads, each one tagged so a page that runs it says which field it came from.

Every stored value gets a number ``n`` of its own. The value shows the visible token ``xq<n>`` (so a page can be
searched for what reached it) and, if a browser ever runs it, sets ``window.__xss = n`` or opens a dialog with
``n``. :class:`Registry` hands out the numbers and remembers which field and which payload each one is, so a
failure names the exact field and payload.

Plain payloads go into fields rendered as text (names, titles, labels, comments): they must come out escaped,
visible character for character. Rich payloads go into HTML fields (descriptions, introductions, Wagtail rich
text): the project's one sanitiser must remove what can run and keep the text.
"""

import re
from dataclasses import dataclass

#: The visible token of value ``n`` is ``xq<n>``.
TOKEN = re.compile(r"xq(\d+)")

#: (name, template) for text fields. ``{n}`` is the value's number.
PLAIN_PAYLOADS: tuple[tuple[str, str], ...] = (
    ("script", "xq{n}<script>window.__xss={n}</script>"),
    ("img-onerror", 'xq{n}<img src=x onerror="window.__xss={n}">'),
    ("svg-onload", "xq{n}<svg onload=window.__xss={n}>"),
    ("quote-break-script", 'xq{n}"><script>window.__xss={n}</script>'),
    ("single-quote-attribute", "xq{n}' onmouseover='window.__xss={n}' x='"),
    ("double-quote-attribute", 'xq{n}" onfocus="window.__xss={n}" autofocus x="'),
    ("textarea-break", "xq{n}</textarea><script>window.__xss={n}</script>"),
    ("title-break", "xq{n}</title><svg onload=window.__xss={n}>"),
    (
        "style-expression",
        'xq{n}<b style="width:expression(window.__xss={n});background:url(javascript:window.__xss={n})">',
    ),
    ("details-ontoggle", "xq{n}<details open ontoggle=window.__xss={n}>"),
    ("dialog", "xq{n}<img src=x onerror=alert({n})>"),
)

#: Short payloads for fields of 32 characters or fewer (codes).
SHORT_PAYLOADS: tuple[tuple[str, str], ...] = (
    ("short-svg-onload", 'xq{n}"><svg onload=__xss={n}>'),
    ("short-img-onerror", "xq{n}<img/src/onerror=__xss={n}>"),
)

#: Everything at once, for the single-line inputs typed in the browser (at most 120 characters).
POLYGLOT = (
    "xq{n}'\"></title></textarea><script>window.__xss={n}</script><svg onload=window.__xss={n}>' onmouseover='__xss={n}"
)

#: (name, template) for HTML fields; ``jsclick`` marks links the browser check clicks.
RICH_PAYLOADS: tuple[tuple[str, str], ...] = (
    ("script", "<p>xq{n}</p><script>window.__xss={n}</script>"),
    ("img-onerror", '<p>xq{n}<img src=x onerror="window.__xss={n}" /></p>'),
    ("svg-onload", "<p>xq{n}</p><svg onload=window.__xss={n}><circle r=5 /></svg>"),
    ("javascript-link", '<p><a href="javascript:window.__xss={n}">xq{n} jsclick</a></p>'),
    (
        "javascript-link-obfuscated",
        '<p><a href="jav&#x09;ascript:window.__xss={n}">xq{n} jsclick</a> '
        '<a href=" JaVaScRiPt:window.__xss={n}">xq{n} jsclick</a></p>',
    ),
    (
        "event-attributes",
        '<p title="x" onmouseover="window.__xss={n}">xq{n}</p><a href="https://example.com/" '
        'onclick="window.__xss={n};return false" title=\'" onmouseover="window.__xss={n}\'>xq{n} jsclick</a>',
    ),
    ("textarea-break", "</textarea><script>window.__xss={n}</script><p>xq{n}</p>"),
    (
        "style-expression",
        '<style>*{background:url("javascript:window.__xss={n}")}</style>'
        '<p style="background:url(javascript:window.__xss={n});width:expression(window.__xss={n})">xq{n}</p>',
    ),
    (
        "iframe-object-embed",
        '<iframe srcdoc="<script>parent.__xss={n}</script>"></iframe>'
        '<object data="javascript:window.__xss={n}"></object><p>xq{n}</p>',
    ),
    (
        "noscript-mutation",
        '<noscript><p title="</noscript><img src=x onerror=window.__xss={n}>"></p></noscript><p>xq{n}</p>',
    ),
    (
        "svg-math-mutation",
        "<svg><style><img src=x onerror=window.__xss={n}></style></svg><math><mtext><table><mglyph><style>"
        "<img src=x onerror=window.__xss={n}></style></mglyph></table></mtext></math><p>xq{n}</p>",
    ),
    (
        "autofocus-ontoggle",
        '<form><input autofocus onfocus="window.__xss={n}" /><button formaction="javascript:window.__xss={n}">'
        'xq{n}</button></form><details open ontoggle="window.__xss={n}"><summary>xq{n}</summary></details>',
    ),
    (
        "base-meta-refresh",
        '<base href="javascript:/"><meta http-equiv="refresh" content="0;url=javascript:window.__xss={n}"><p>xq{n}</p>',
    ),
    (
        "data-uri",
        '<p><a href="data:text/html,&lt;script&gt;alert({n})&lt;/script&gt;">xq{n} jsclick</a>'
        '<img src="data:image/svg+xml,&lt;svg onload=alert({n})&gt;" /></p>',
    ),
    ("dialog", "<p>xq{n}</p><img src=x onerror=alert({n})>"),
)

#: What a link field gets: a URL that runs script if it is ever used as one.
JAVASCRIPT_URLS: tuple[tuple[str, str], ...] = (
    ("javascript-url", "javascript:window.__xss={n}"),
    ("javascript-url-mixed-case", " JaVaScRiPt:window.__xss={n}//xq{n}"),
    ("javascript-url-tab", "java\tscript:window.__xss={n}//xq{n}"),
)


@dataclass(frozen=True)
class Injected:
    """One stored value: its number, the field it went into and the payload it carries."""

    n: int
    field: str
    payload: str
    text: str
    #: "plain" (shown as text), "rich" (HTML for the sanitiser), "url" (a link's address) or "admin-rich" (HTML
    #: pasted into Wagtail's editor, which keeps only its text and a few tags)
    kind: str = "plain"

    @property
    def token(self) -> str:
        return f"xq{self.n}"

    def __str__(self) -> str:
        return self.text


class Registry:
    """Hands out numbered payloads and names them back: ``describe(n)`` → "team name ← script: …"."""

    def __init__(self, start: int = 100):
        self._next = start
        self.values: dict[int, Injected] = {}

    def _make(self, field: str, name: str, template: str, kind: str = "plain") -> Injected:
        n = self._next
        self._next += 1
        value = Injected(n=n, field=field, payload=name, text=template.replace("{n}", str(n)), kind=kind)
        self.values[n] = value
        return value

    def plain(self, field: str, *, max_length: int | None = None, slashes: bool = True) -> list[Injected]:
        """Every plain payload that fits the field, for a field that can hold several values (many rows)."""
        templates = PLAIN_PAYLOADS + (SHORT_PAYLOADS if max_length is not None and max_length <= 32 else ())
        made = []
        for name, template in templates:
            if not slashes and "/" in template:
                continue  # file names lose everything before a slash
            if max_length is not None and len(template.replace("{n}", str(self._next))) > max_length:
                continue
            made.append(self._make(field, name, template))
        return made

    def custom(self, field: str, name: str, template: str, kind: str = "plain") -> Injected:
        return self._make(field, name, template, kind)

    def one(self, field: str, name: str) -> Injected:
        """One named payload, for a field that holds a single value."""
        templates = dict(PLAIN_PAYLOADS + SHORT_PAYLOADS + JAVASCRIPT_URLS)
        return self._make(field, name, templates[name])

    def rich(self, field: str, *, kind: str = "rich") -> list[Injected]:
        return [self._make(field, name, template, kind) for name, template in RICH_PAYLOADS]

    def rich_all(self, field: str, *, kind: str = "rich") -> Injected:
        """Every rich payload in one document, for an HTML field that holds a single value."""
        n = self._next
        self._next += 1
        text = "".join(template.replace("{n}", str(n)) for _name, template in RICH_PAYLOADS)
        value = Injected(n=n, field=field, payload="all rich payloads", text=text, kind=kind)
        self.values[n] = value
        return value

    def polyglot(self, field: str) -> Injected:
        return self._make(field, "polyglot", POLYGLOT)

    def javascript_urls(self, field: str) -> list[Injected]:
        return [self._make(field, name, template, "url") for name, template in JAVASCRIPT_URLS]

    def describe(self, n) -> str:
        try:
            value = self.values[int(n)]
        except (KeyError, TypeError, ValueError):
            return f"value {n!r} (not one of ours)"
        return f"{value.field} ← {value.payload}: {value.text[:160]!r}"

    def tokens_in(self, text: str) -> set[int]:
        return {int(n) for n in TOKEN.findall(text) if int(n) in self.values}


#: Runs in the page after it loads: what an injection would have left in the DOM. Text (escaped markup, JSON data
#: blocks, percent-encoded URLs) may carry the sentinel; live markup may not.
DOM_AUDIT_JS = r"""
(root) => {
    const found = [];
    const marked = (value) => typeof value === "string" && (value.includes("__xss") || /alert\(\d+\)/.test(value));
    const describe = (element) => {
        const html = element.outerHTML || "";
        return html.length > 240 ? html.slice(0, 240) + "…" : html;
    };
    const scheme = (value) => value.replace(/[\s\u0000-\u001f]+/g, "").toLowerCase();
    const scriptUrl = (value) => /^(javascript|vbscript):/.test(scheme(value));
    const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "ping"];
    const decoded = (value) => {
        try {
            return decodeURIComponent(value);
        } catch (error) {
            return value;
        }
    };
    const executable = (script) => {
        const type = (script.getAttribute("type") || "").trim().toLowerCase();
        return !type || type === "module" || type.includes("javascript") || type.includes("ecmascript");
    };
    for (const element of root.querySelectorAll("*")) {
        const tag = element.tagName.toLowerCase();
        if (tag === "script" && executable(element) && marked(element.textContent)) {
            found.push(`script carrying the sentinel: ${describe(element)}`);
        }
        if (tag === "style" && marked(element.textContent)) {
            found.push(`style sheet carrying the sentinel: ${describe(element)}`);
        }
        if (tag === "base") {
            found.push(`base element: ${describe(element)}`);
        }
        if (tag === "meta" && (element.getAttribute("http-equiv") || "").toLowerCase() === "refresh") {
            found.push(`meta refresh: ${describe(element)}`);
        }
        if (["iframe", "object", "embed", "frame"].includes(tag) && marked(element.outerHTML)) {
            found.push(`${tag} element carrying the sentinel: ${describe(element)}`);
        }
        for (const attribute of element.attributes) {
            const name = attribute.name.toLowerCase();
            const value = attribute.value;
            if (name.startsWith("on") && marked(value)) {
                found.push(`event handler ${name} on <${tag}>: ${describe(element)}`);
            } else if (["style", "srcdoc", "srcset"].includes(name) && marked(value)) {
                found.push(`${name} attribute carrying the sentinel on <${tag}>: ${describe(element)}`);
            } else if (tag === "meta" && name === "content" && /url\s*=/i.test(value) && marked(value)) {
                found.push(`meta URL carrying the sentinel: ${describe(element)}`);
            } else if (urlAttributes.includes(name) && scriptUrl(value)) {
                found.push(`script URL in ${name} on <${tag}>: ${describe(element)}`);
            } else if (urlAttributes.includes(name) && /^\s*data:/i.test(value) && marked(decoded(value))) {
                found.push(`data: URL carrying the sentinel in ${name} on <${tag}>: ${describe(element)}`);
            }
        }
    }
    for (const link of root.links) {
        if (link.protocol === "javascript:" || link.protocol === "vbscript:") {
            found.push(`clickable ${link.protocol} link: ${describe(link)}`);
        }
    }
    return found;
}
"""

#: Fires the events a person would (pointer over, focus, pointer out) at every element that shows one of our
#: tokens or carries one in an attribute, so a handler smuggled into an attribute runs if it exists.
POKE_JS = r"""
() => {
    let poked = 0;
    const carries = (element) => {
        if (/xq\d+/.test(element.getAttribute("title") || "")) return true;
        for (const attribute of element.attributes) {
            if (/xq\d+|__xss/.test(attribute.value)) return true;
        }
        for (const child of element.childNodes) {
            if (child.nodeType === Node.TEXT_NODE && /xq\d+/.test(child.textContent)) return true;
        }
        return false;
    };
    for (const element of document.querySelectorAll("body *")) {
        if (!carries(element)) continue;
        poked += 1;
        for (const type of ["mouseover", "mouseenter", "mousemove", "focus", "focusin", "mouseout", "blur"]) {
            const event = type.startsWith("mouse")
                ? new MouseEvent(type, { bubbles: true })
                : new FocusEvent(type, { bubbles: type === "focusin" });
            element.dispatchEvent(event);
        }
    }
    return poked;
}
"""
