"""Shared checks for chart tests: parse the SVG and verify its accessible name and description."""

import xml.etree.ElementTree as ET

NS = {"svg": "http://www.w3.org/2000/svg"}
EVIL = "<script>alert(1)</script> & \"quoted\" 'single'"


def parse(svg: str) -> ET.Element:
    """Parse chart output as XML (proving it is well-formed) and return the root element."""
    root = ET.fromstring(str(svg))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def assert_accessible(svg: str, role: str = "img") -> ET.Element:
    """Check role, and that aria-labelledby/-describedby point at a non-empty title and desc."""
    root = parse(svg)
    assert root.get("role") == role
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title is not None and title.text and title.text.strip()
    assert desc is not None and desc.text and desc.text.strip()
    assert root[0] is title and root[1] is desc, "title and desc come first"
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    return root


def texts(root: ET.Element) -> list[str]:
    """Return every text node of the drawing's <text> elements."""
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def all_ids(root: ET.Element) -> list[str]:
    """Return every id attribute in the SVG."""
    return [el.get("id") for el in root.iter() if el.get("id")]
