"""Reading XML that came from elsewhere: no DTD, no entity expansion, no network, no huge trees.

A DMN file from another tool is untrusted input; libxml2's defaults would resolve external
entities. Every DMN or TCK document b12spec reads goes through ``parse_xml``.
"""

from __future__ import annotations

from lxml import etree

from b12spec.errors import B12SpecError


class DmnReadError(B12SpecError):
    """The file is not well-formed XML (or hides a DTD): nothing is imported."""


def parse_xml(document: bytes) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = etree.fromstring(document, parser=parser)
    except etree.XMLSyntaxError as error:
        raise DmnReadError(f"not well-formed XML: {error}") from error
    if root.getroottree().docinfo.internalDTD is not None:
        raise DmnReadError("the document declares a DTD; DMN files need none, so it is refused")
    return root
