"""The methodology partial renders, covers every status and rule, and obeys the CSP."""

from flask import render_template_string

from tracker import create_app

PARTIAL = "progress/methodology_body.html"


def render() -> str:
    """Render the partial in a request of a database-free app."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": "sqlite://"})
    with app.test_request_context("/"):
        return render_template_string('{% include "' + PARTIAL + '" %}')


def test_methodology_renders_the_method_and_its_extensions() -> None:
    html = render()
    for text in ("Target achieved", "Substantial progress", "Moderate progress",
                 "Limited progress", "Deterioration", "Not available", "1.5 % a year or more",
                 "0.95 or more", "Linear rate around zero", "Target bands",
                 "Quarterly indicators", "Several targets", "Year the target is reached",
                 "Progress against time", "c = 1 − (B/L)^4.44", "max(|x_b|, |x_t|)"):
        assert text in html, text
    assert "style=" not in html and "<script" not in html
