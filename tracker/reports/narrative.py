"""Officers' Markdown narratives, made safe for reports: rendered with markdown-it-py and
cleaned with nh3 on a strict allow-list (no images, links, styles or embedded resources)."""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# "js-default" leaves raw HTML disabled, so `<img>` or `<link>` typed by an officer stays text.
_MARKDOWN = MarkdownIt("js-default")
# No <a> (a link would become a PDF annotation pointing anywhere), no <img>, no style.
ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "code",
                          "pre", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th",
                          "td"})


def render_markdown(text: str | None) -> Markup:
    """Render a narrative's Markdown to sanitised HTML (empty for no text)."""
    if not text or not text.strip():
        return Markup("")
    html = _MARKDOWN.render(text)
    cleaned = nh3.clean(html, tags=set(ALLOWED_TAGS), attributes={}, url_schemes=set(),
                        strip_comments=True, link_rel=None)
    return Markup(cleaned)  # noqa: S704 - nh3 allow-list output: no attributes at all
