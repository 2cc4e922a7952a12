"""Progress statuses: the Open SDG / Statistics Canada method and the tracker's extensions."""
